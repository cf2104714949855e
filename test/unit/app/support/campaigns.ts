import type { z } from 'zod';
import type { DeliverDeps } from '../../../../lib/app/deliver-message.js';
import { type DeliveryOutcome, deliverMessage } from '../../../../lib/app/deliver-message.js';
import { fireDueTimers } from '../../../../lib/app/fire-due-timers.js';
import type { ManageCampaignsDeps } from '../../../../lib/app/manage-campaigns.js';
import { type RunJourneyJobsOptions, runJourneyJobs } from '../../../../lib/app/run-journey-jobs.js';
import { CampaignDefinition } from '../../../../lib/domain/campaign.js';
import type { Contact } from '../../../../lib/domain/contact.js';
import type { DeliveryPolicy } from '../../../../lib/domain/delivery-policy.js';
import { aSignup } from '../../../support/builders.js';
import { publishCompiled } from '../../../support/publish-compiled.js';
import { aSubscribedContact, aWorld, deploymentFor, jobDepsFor } from './worlds.js';

export const timerShards = 2;

/** A world with a `promo` template, a `gold` segment (attribute tier = gold), and the campaign use cases and jobs. */
export const aCampaignWorld = async (start = '2026-12-01T09:00:00.000Z') => {
  const world = aWorld(start, timerShards);
  let policy: DeliveryPolicy | undefined;
  const deployment = deploymentFor(world, async () => policy);
  const deliverDeps: DeliverDeps = {
    ...deployment.deliver,
    settings: { ...deployment.deliver.settings, maxClaimWaitMs: 0 },
  };
  for (const id of ['promo', 'promo-b']) {
    await publishCompiled(
      world.templates,
      {
        id,
        kind: 'marketing',
        subject: `Hello {{ contact.email }} from ${id}`,
        text: 'Offer. Unsubscribe: {{ links.unsubscribe }} {{ postalAddress }}',
        mjml: '<mj-text>Offer</mj-text><mj-text><a href="{{ links.unsubscribe }}">Unsubscribe</a> {{ postalAddress }}</mj-text>',
      },
      world.clock.now(),
    );
  }
  await world.segments.put(
    { id: 'gold', name: 'Gold members', condition: { 'contact.attributes.tier': 'gold' }, live: false },
    world.clock.now(),
  );
  const manage: ManageCampaignsDeps = {
    campaigns: world.campaigns,
    segments: world.segments,
    templates: world.templates,
    jobs: world.jobs,
    ids: world.ids,
    clock: world.clock,
  };
  let jobSettings: { campaignSendRate?: number } = {};
  /** Runs the job schedule until no job has work now (a postponed one waits for its time). */
  const runJobs = async (options: Partial<RunJourneyJobsOptions> = {}) => {
    const deps = jobDepsFor(world, { settings: jobSettings });
    const once = () => runJourneyJobs(deps, { outOfTime: () => false, pageSize: 7, ...options });
    if (options.pagesPerJob !== undefined) return once();
    for (let run = 0; run < 100; run += 1) {
      const progress = await once();
      const now = world.clock.now().toISOString();
      const ready = (await world.jobs.pending()).filter(
        (job) => job.runAfter === undefined || job.runAfter <= now,
      );
      if (ready.length === 0) return progress;
    }
    throw new Error('the jobs never finished');
  };
  /** The tick at the clock's time, then every message the stream hands deliver. */
  const tickAndDeliver = async (): Promise<DeliveryOutcome[]> => {
    await fireDueTimers({ timers: world.timers }, world.clock.now(), {
      shards: timerShards,
      settleSeconds: 0,
    });
    const outcomes: DeliveryOutcome[] = [];
    for (const insert of world.drainInserts())
      if (insert.kind === 'message') outcomes.push(await deliverMessage(deliverDeps, insert.message));
    return outcomes;
  };
  return {
    world,
    manage,
    deliverDeps,
    usePolicy: (next: DeliveryPolicy | undefined) => {
      policy = next;
    },
    /** The deployment settings the job schedule runs with from now on (CAMPAIGN_SEND_RATE). */
    useJobSettings: (next: { campaignSendRate?: number }) => {
      jobSettings = next;
    },
    /** A gold member (in the segment) or not, subscribed to email (newsletter). */
    addContact: async (overrides: Partial<Contact> = {}, tier = 'gold'): Promise<Contact> => {
      const contact = aSubscribedContact({ attributes: { tier }, ...overrides });
      await world.contacts.create(aSignup(contact));
      return contact;
    },
    runJobs,
    tickAndDeliver,
    /**
     * Runs the jobs and the wheel until nothing is left (or the next is after
     * `until`), moving the clock to the next timer or postponed job.
     */
    settle: async (until?: string) => {
      for (let step = 0; step < 1_000; step += 1) {
        await runJobs();
        // What the jobs wrote now goes out now: the stream hands it to deliver at once.
        await tickAndDeliver();
        const waiting = (await world.jobs.pending()).flatMap((job) =>
          job.runAfter === undefined ? [] : [new Date(job.runAfter)],
        );
        const next = [world.nextTimerAt(), ...waiting]
          .filter((at) => at !== undefined)
          .sort((a, b) => a.getTime() - b.getTime())[0];
        if (next === undefined || (until !== undefined && next.toISOString() > until)) return;
        if (next > world.clock.now()) world.clock.set(next);
      }
      throw new Error('the campaign never settled');
    },
  };
};

export type CampaignWorld = Awaited<ReturnType<typeof aCampaignWorld>>;

/**
 * The spring sale: a 10% holdout and two subjects, to everyone with the `news`
 * template; `extra` adds an A/B test, a goal or anything else.
 */
export const springSale = (extra: Partial<z.input<typeof CampaignDefinition>> = {}): CampaignDefinition =>
  CampaignDefinition.parse({
    id: 'spring',
    name: 'Spring sale',
    audience: { segmentId: 'everyone' },
    channel: { kind: 'email', templateId: 'news' },
    holdout: 10,
    variants: [
      { id: 'a', subject: 'Spring is here' },
      { id: 'b', subject: 'Twenty percent off' },
    ],
    ...extra,
  });

export const aCampaign = (overrides: Partial<CampaignDefinition> = {}): CampaignDefinition => ({
  id: 'winter-sale',
  name: 'Winter sale',
  audience: { segmentId: 'gold' },
  channel: { kind: 'email', templateId: 'promo' },
  schedule: { kind: 'now' },
  holdout: 0,
  ...overrides,
});
