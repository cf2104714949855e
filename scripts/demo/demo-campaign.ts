import { DateTime } from 'luxon';
import { z } from 'zod';
import { inParallel } from '../../lib/app/in-parallel.js';
import { campaignMessageKey } from '../../lib/domain/campaign.js';
import { SesTag } from '../../lib/domain/ses-notification.js';
import { HoldoutAnswer } from './demo-answers.js';
import type { StoredEmail } from './demo-client.js';
import type { DemoClock } from './demo-clock.js';
import { concurrency, type DemoContext, DemoFailedError, scheduleRunner, sum } from './demo-context.js';
import { type ListedContact, listAllContacts } from './demo-segments.js';
import {
  allBooks,
  type DemoPerson,
  orderCompleted,
  orderLine,
  type PlannedCall,
  timeZones,
} from './demo-shop.js';
import { seededRandom } from './seeded-random.js';

/**
 * A campaign to the demo's top-value segment, through the admin API: a
 * template published for it, a draft with two subject lines and a 10% holdout,
 * a launch, and the send at 10:00 the next day in each reader's own zone. The
 * demo lets the stack's clock run on to each zone's 10:00 (the schedules do
 * the rest), plays SES's feedback (the emulator sends none) and the readers'
 * orders, and reads the campaign report back. Who got what comes from the SES
 * emulator's inbox; who ordered, from what the demo posted.
 */

const HOUR_MS = 3_600_000;
/** The tick fires at most a day of minute buckets a run; smaller steps keep every run complete. */
const maxStepMs = 12 * HOUR_MS;
/** Days the demo lets pass at most for messages the delivery policy held back (its cap is 3 a week). */
const maxHeldDays = 8;
const sendTime = '10:00';

export const demoTemplate = {
  id: 'demo-thank-you',
  kind: 'marketing',
  subject: 'Thank you from {{ sender.name }}',
  preheader: 'You are one of our best customers this year.',
  text: [
    'Hi {{ contact.name | default: "there" }},',
    '',
    'You are one of our best customers this year, and we wanted to say thank you.',
    'Whatever you are reading or printing next, we are glad to help.',
    '',
    '{{ sender.name }}',
  ].join('\n'),
  mjml: [
    '<mj-text font-size="24px" font-weight="700" line-height="1.3" color="#111827">Thank you</mj-text>',
    '<mj-text>Hi {{ contact.name | default: "there" }},</mj-text>',
    '<mj-text>You are one of our best customers this year, and we wanted to say thank you. Whatever you are reading or printing next, we are glad to help.</mj-text>',
    '<mj-text>{{ sender.name }}</mj-text>',
  ].join('\n'),
} as const;

/** Plain subjects, so the inbox tells the variants apart by subject alone. */
export const demoVariants = [
  { id: 'thanks', subject: 'Thank you for a wonderful year' },
  { id: 'best', subject: 'You are one of our best customers' },
] as const;

export const demoCampaignId = 'thank-you-top-value';

const PublishAnswer = z.object({ templateId: z.string(), version: z.number() });
const CampaignAnswer = z.object({ status: z.string(), version: z.number() });
const ValidationAnswer = z.object({
  valid: z.boolean(),
  problems: z.array(z.object({ path: z.string(), message: z.string() })),
});
const CampaignDetails = z.object({
  status: z.string(),
  jobs: z.array(z.object({ status: z.string(), work: z.object({ kind: z.string() }) })),
});
const Figures = z.object({
  audience: z.object({ treatment: z.number(), control: z.number() }),
  sent: z.number(),
  failed: z.number(),
  skipped: z.record(z.string(), z.number()),
  deferred: z.record(z.string(), z.number()),
  delivered: z.number(),
  opened: z.number(),
  clicked: z.number(),
  bounced: z.number(),
  complained: z.number(),
  unsubscribed: z.number(),
  attributed: z.object({ orders: z.number(), revenue: z.number() }),
});
export type CampaignFiguresAnswer = z.infer<typeof Figures>;
export const CampaignReportAnswer = z.object({
  status: z.string(),
  launchedAt: z.string(),
  from: z.string(),
  to: z.string(),
  total: Figures,
  variants: z.array(Figures.extend({ variant: z.string() })),
  goal: z
    .object({
      event: z.string(),
      within: z.string(),
      holdout: HoldoutAnswer,
      variants: z.array(z.object({ variant: z.string(), holdout: HoldoutAnswer })),
    })
    .nullable(),
  currency: z.string(),
});
export type CampaignReportAnswer = z.infer<typeof CampaignReportAnswer>;

/** One moment the demo let the clock run to, and the campaign emails that had gone out by then. */
export interface SendStep {
  at: string;
  label: string;
  emails: number;
}

/** People the demo posted an order for after the send, and what those orders came to. */
export interface OrderTally {
  people: number;
  revenue: number;
}

export interface CampaignFindings {
  campaignId: string;
  name: string;
  segmentId: string;
  templateId: string;
  templateVersion: number;
  variants: ReadonlyArray<{ id: string; subject: string }>;
  schedule: { date: string; time: string };
  holdout: number;
  goal: { event: string; within: string };
  validation: { valid: boolean; problems: string[] };
  launchStatus: string;
  /** The segment's members when it was launched, and those of them that may be emailed marketing. */
  segmentMembers: number;
  reachable: number;
  /** Each zone of the reachable members with its 10:00 on the schedule's date, in UTC. */
  zones: Array<{ zone: string; at: string; members: number }>;
  steps: SendStep[];
  /** Campaign emails in the inbox before the first zone's 10:00 came. */
  beforeFirstStep: number;
  /** Emails that reached someone before 10:00 in their zone. */
  early: number;
  /** How far the stack's clock ran ahead of the system's. */
  aheadHours: number;
  emails: {
    total: number;
    byVariant: Record<string, number>;
    recipients: number;
    /** Emails to someone who was not in the reachable audience at launch. */
    outsideAudience: number;
  };
  feedback: { delivered: number; opened: number; clicked: number };
  orders: {
    emailed: OrderTally;
    /** The reachable members who got no email: the control group, and any the delivery skipped. */
    notEmailed: OrderTally;
    /** Orders by people who clicked the campaign's mail first: last-click attribution credits them to it. */
    afterClick: OrderTally;
  };
  finalStatus: string;
  jobs: Array<{ kind: string; status: string }>;
  report: CampaignReportAnswer;
}

export interface CampaignInputs {
  apiKey: string;
  segmentId: string;
  /** The people's time zones as Rapport holds them (from `GET /admin/contacts?email=`), by email. */
  timeZones: ReadonlyMap<string, string | undefined>;
  defaultTimeZone: string;
}

const tenOClock = (date: string, zone: string): Date =>
  DateTime.fromISO(`${date}T${sendTime}`, { zone }).toUTC().toJSDate();

/** The first date whose 10:00 is still ahead in every zone: "tomorrow" wherever the readers are. */
export const scheduleDate = (now: Date, zones: readonly string[]): string => {
  let day = DateTime.fromJSDate(now, { zone: 'UTC' }).startOf('day').minus({ days: 1 });
  const ahead = (date: string) => zones.every((zone) => tenOClock(date, zone) > now);
  while (!ahead(day.toISODate() ?? '')) day = day.plus({ days: 1 });
  return day.toISODate() ?? '';
};

const round2 = (value: number): number => Math.round(value * 100) / 100;

/** Lets the stack's clock run on to `until` in steps the tick can take whole, running the schedules at each. */
const letTimePass = async (clock: DemoClock, runSchedules: () => Promise<number>, until: Date) => {
  do {
    clock.passUntil(new Date(Math.min(until.getTime(), clock.now().getTime() + maxStepMs)));
    await runSchedules();
  } while (clock.now() < until);
};

const tally = (calls: readonly PlannedCall[]): OrderTally => ({
  people: new Set(calls.map((call) => call.person)).size,
  revenue: round2(sum(calls.map((call) => call.amount ?? 0))),
});

export const runCampaign = async (
  context: DemoContext,
  inputs: CampaignInputs,
): Promise<CampaignFindings> => {
  const { client, clock, shop } = context;
  await client.admin(z.unknown(), 'PUT', `/admin/templates/${demoTemplate.id}/draft`, demoTemplate);
  const template = await client.admin(
    PublishAnswer,
    'POST',
    `/admin/templates/${demoTemplate.id}/publish`,
    {},
  );

  // Who can be reached: the segment's members who may be emailed marketing, as the launch will freeze them.
  const members = await listAllContacts(context, { limit: '200', segment: inputs.segmentId });
  const reachable = members.contacts.filter((contact) => contact.consent.email.status === 'subscribed');
  const zoneOf = (contact: Pick<ListedContact, 'email'>) =>
    inputs.timeZones.get(contact.email) ?? inputs.defaultTimeZone;
  const zones = [
    ...new Set([...timeZones.map(([zone]) => zone), ...reachable.map(zoneOf), inputs.defaultTimeZone]),
  ];
  // Tomorrow wherever the shop's people live, so the send waits for the morning in every zone.
  const date = scheduleDate(clock.now(), zones);

  const definition = {
    id: demoCampaignId,
    name: 'Thank you, top customers',
    audience: { segmentId: inputs.segmentId },
    channel: { kind: 'email', templateId: demoTemplate.id },
    schedule: { kind: 'local', date, time: sendTime },
    holdout: 10,
    goal: { event: 'order_completed', within: 'P14D' },
    variants: demoVariants.map((variant) => ({ ...variant })),
  };
  const path = `/admin/campaigns/${demoCampaignId}`;
  await client.admin(CampaignAnswer, 'PUT', path, definition);
  const validation = await client.admin(ValidationAnswer, 'POST', `${path}/validate`, definition);
  const launched = await client.admin(CampaignAnswer, 'POST', `${path}/launch`, {});

  const subjects = new Map<string, string>(demoVariants.map((variant) => [variant.subject, variant.id]));
  const campaignEmails = async (): Promise<StoredEmail[]> =>
    (await client.emails()).filter((email) => subjects.has(email.subject));
  const zoneByEmail = new Map(reachable.map((contact) => [contact.email, zoneOf(contact)]));

  // The launch job freezes the audience and files each message at its slot: nothing may go yet.
  const runSchedules = scheduleRunner(context);
  await runSchedules();
  const beforeFirstStep = (await campaignEmails()).length;

  const firstSeen = new Map<string, Date>();
  const steps: SendStep[] = [];
  const look = async (label: string) => {
    const emails = await campaignEmails();
    for (const email of emails)
      if (!firstSeen.has(email.messageId)) firstSeen.set(email.messageId, clock.now());
    steps.push({ at: clock.now().toISOString(), label, emails: emails.length });
  };
  const zoneTimes = zones
    .map((zone) => ({
      zone,
      at: tenOClock(date, zone),
      members: reachable.filter((contact) => zoneOf(contact) === zone).length,
    }))
    .filter((zone) => zone.members > 0)
    .sort((a, b) => a.at.getTime() - b.at.getTime() || a.zone.localeCompare(b.zone));
  const instants = [...new Set(zoneTimes.map((zone) => zone.at.getTime()))];
  for (const instant of instants) {
    // A few minutes past the hour: a zone's messages are paced from 10:00, 14 a second.
    await letTimePass(clock, runSchedules, new Date(instant + 5 * 60_000));
    await look(
      `10:00 in ${zoneTimes
        .filter((zone) => zone.at.getTime() === instant)
        .map((zone) => zone.zone)
        .join(', ')}`,
    );
  }

  const reportOf = () => client.admin(CampaignReportAnswer, 'GET', `${path}/report`);
  const unsent = (report: CampaignReportAnswer) =>
    report.total.audience.treatment -
    report.total.sent -
    report.total.failed -
    sum(Object.values(report.total.skipped));
  // Messages the delivery policy held back (at most 3 emails a week) go once it allows: let the days pass.
  for (let day = 1; day <= maxHeldDays && unsent(await reportOf()) > 0; day += 1) {
    await letTimePass(clock, runSchedules, new Date(clock.now().getTime() + 24 * HOUR_MS));
    await look(`${day === 1 ? 'a day' : `${day} days`} later, for messages the delivery policy held back`);
  }

  const emails = await campaignEmails();
  const byVariant: Record<string, number> = Object.fromEntries(
    demoVariants.map((variant) => [variant.id, 0]),
  );
  for (const email of emails) {
    const variant = subjects.get(email.subject) ?? '';
    byVariant[variant] = (byVariant[variant] ?? 0) + 1;
  }
  const recipients = new Set(emails.flatMap((email) => email.destination.to));
  const early = emails.filter((email) => {
    const to = email.destination.to[0] ?? '';
    const zone = zoneByEmail.get(to) ?? inputs.timeZones.get(to) ?? inputs.defaultTimeZone;
    const seen = firstSeen.get(email.messageId) ?? clock.now();
    return seen < tenOClock(date, zone);
  }).length;

  // SES's part: the emulator keeps the mail but reports nothing, so the demo publishes what SES would.
  const random = seededRandom(context.seed + 1);
  const contactIds = new Map(members.contacts.map((contact) => [contact.email, contact.id]));
  const clicked = new Set<string>();
  const feedback = { delivered: 0, opened: 0, clicked: 0 };
  const notify = async (email: StoredEmail, eventType: 'Delivery' | 'Open' | 'Click') => {
    const to = email.destination.to[0] ?? '';
    const at = clock.now().toISOString();
    await client.sesFeedback({
      eventType,
      mail: {
        messageId: email.messageId,
        timestamp: at,
        destination: [to],
        tags: {
          [SesTag.contact]: [contactIds.get(to) ?? ''],
          [SesTag.message]: [campaignMessageKey(demoCampaignId)],
          [SesTag.campaign]: [demoCampaignId],
          [SesTag.variant]: [subjects.get(email.subject) ?? ''],
        },
      },
      ...(eventType === 'Delivery' ? { delivery: { timestamp: at, recipients: [to] } } : {}),
      ...(eventType === 'Open' ? { open: { timestamp: at } } : {}),
      ...(eventType === 'Click'
        ? { click: { timestamp: at, link: 'https://shop.example.com/?utm_source=rapport' } }
        : {}),
    });
  };
  const plays = emails.map((email) => {
    const opens = random.chance(0.6);
    return { email, opens, clicks: opens && random.chance(0.5) };
  });
  await inParallel(plays, concurrency, async ({ email, opens, clicks }) => {
    await notify(email, 'Delivery');
    if (opens) await notify(email, 'Open');
    if (clicks) {
      await notify(email, 'Click');
      for (const to of email.destination.to) clicked.add(to);
    }
  });
  feedback.delivered = plays.length;
  feedback.opened = plays.filter((play) => play.opens).length;
  feedback.clicked = plays.filter((play) => play.clicks).length;
  await context.stack.idle();

  // That afternoon some of them shop: more often after a click, as a made-up shop may; the report measures it.
  await letTimePass(clock, runSchedules, new Date(clock.now().getTime() + 3 * HOUR_MS));
  const personOf = new Map<string, DemoPerson>(shop.people.map((person) => [person.email, person]));
  const orders: Array<{ call: PlannedCall; emailed: boolean; clicked: boolean }> = [];
  for (const [index, contact] of reachable.entries()) {
    const person = personOf.get(contact.email);
    if (person === undefined) continue;
    const emailed = recipients.has(contact.email);
    const hasClicked = clicked.has(contact.email);
    if (!random.chance(hasClicked ? 0.6 : emailed ? 0.2 : 0.15)) continue;
    const lines = [orderLine(random.pick(allBooks))];
    const at = clock.now().getTime() - (reachable.length - index) * 1_000;
    orders.push({
      call: orderCompleted(person, `C-${20_001 + index}`, lines, at),
      emailed,
      clicked: hasClicked,
    });
  }
  if (orders.length > 0) {
    const answer = await client.batch(
      inputs.apiKey,
      orders.map((order) => order.call.call),
    );
    if (answer.accepted !== orders.length)
      throw new DemoFailedError(
        `/v1/batch accepted ${answer.accepted} of the ${orders.length} orders after the campaign: ${JSON.stringify(answer.results.filter((result) => result.status !== 'accepted'))}`,
      );
  }
  await context.stack.idle();
  await runSchedules();

  const [report, details] = await Promise.all([reportOf(), client.admin(CampaignDetails, 'GET', path)]);
  const calls = (pick: (order: (typeof orders)[number]) => boolean) =>
    tally(orders.filter(pick).map((order) => order.call));
  return {
    campaignId: demoCampaignId,
    name: definition.name,
    segmentId: inputs.segmentId,
    templateId: demoTemplate.id,
    templateVersion: template.version,
    variants: demoVariants,
    schedule: { date, time: sendTime },
    holdout: definition.holdout,
    goal: definition.goal,
    validation: {
      valid: validation.valid,
      problems: validation.problems.map((problem) => `${problem.path}: ${problem.message}`),
    },
    launchStatus: launched.status,
    segmentMembers: members.contacts.length,
    reachable: reachable.length,
    zones: zoneTimes.map((zone) => ({ zone: zone.zone, at: zone.at.toISOString(), members: zone.members })),
    steps,
    beforeFirstStep,
    early,
    aheadHours: clock.aheadMs() / HOUR_MS,
    emails: {
      total: emails.length,
      byVariant,
      recipients: recipients.size,
      outsideAudience: [...recipients].filter((to) => !zoneByEmail.has(to)).length,
    },
    feedback,
    orders: {
      emailed: calls((order) => order.emailed),
      notEmailed: calls((order) => !order.emailed),
      afterClick: calls((order) => order.clicked),
    },
    finalStatus: details.status,
    jobs: details.jobs.map((job) => ({ kind: job.work.kind, status: job.status })),
    report,
  };
};
