import { MemoryWorld } from '../adapters/memory/memory-world.js';
import { confirmSubscription } from '../app/confirm-subscription.js';
import { deliverMessage } from '../app/deliver-message.js';
import { fireDueTimers } from '../app/fire-due-timers.js';
import { handleContactEvent } from '../app/handle-contact-event.js';
import { ingestCall } from '../app/ingest-events.js';
import { updatePreferences } from '../app/manage-preferences.js';
import { publishOutboundEvent } from '../app/publish-outbound-event.js';
import { recordEngagement } from '../app/record-engagement.js';
import { scheduleDateTriggers } from '../app/schedule-date-triggers.js';
import { unsubscribe } from '../app/unsubscribe.js';
import { newSesAccountSendRate } from '../domain/campaign.js';
import type { Contact } from '../domain/contact.js';
import type { ContactEvent } from '../domain/contact-event.js';
import type { DeliveryPolicy } from '../domain/delivery-policy.js';
import type { EmailTemplate } from '../domain/email-template.js';
import { engagementInstant, type SunsetAfter } from '../domain/engagement.js';
import { UnprocessableRecordError } from '../domain/errors.js';
import { isDateTrigger, type JourneyDefinition, templatesUsed } from '../domain/journey-definition.js';
import type { Message } from '../domain/message.js';
import { fallbackCurrency } from '../domain/money.js';
import {
  maxSimulationSteps,
  maxTimelineEntries,
  parseSimulationEvents,
  type SimulationEvent,
  SimulationInputError,
  type SimulationResult,
} from '../domain/simulate.js';
import { issueToken, type TokenKeys } from '../domain/tokens.js';
import type { CatalogStore } from '../ports/catalog-store.js';
import type { CoPurchaseStore } from '../ports/co-purchase-store.js';
import { minuteBucket } from '../ports/timer-store.js';
import { compileEmail } from '../templates/compile-email.js';
import { memoryDeployment } from './memory-deployment.js';
import { TimelineRecorder } from './timeline-recorder.js';

/** What a simulation runs on besides the definition: the templates and settings of the deployment it stands for. */
export interface SimulationSources {
  /** The published template of an id; a send with none fails, as it would. */
  template(templateId: string): Promise<EmailTemplate | undefined>;
  /** The caps and quiet hours in force; without one, nothing is held back. */
  policy?: DeliveryPolicy;
  /**
   * Where recommendations come from: the deployment's catalog, read only (its
   * releases up to the real present). Without it, the simulated catalog is empty.
   */
  catalog?: Pick<CatalogStore, 'releasedSince' | 'getMany'>;
  coPurchases?: Pick<CoPurchaseStore, 'forSkus'>;
  /** For a contact with no time zone of their own; UTC if not given. */
  defaultTimeZone?: string;
  /** For orders that name no currency, and what goal revenue is counted in; EUR if not given. */
  defaultCurrency?: string;
  /** The From address and the postal address the footer shows; placeholders when not given. */
  sender?: string;
  postalAddress?: string;
  /** The deployment's sunset policy (SUNSET_AFTER); without it, no marketing email is skipped as `not-engaged`. */
  sunsetAfter?: SunsetAfter;
}

export interface SimulationInput {
  definition: JourneyDefinition;
  contact: Contact;
  events: readonly SimulationEvent[];
  from: Date;
  to: Date;
  /** Marketing sends before `from` (e.g. from other journeys), which the caps count. */
  sentBefore?: Partial<Record<'email' | 'sms', readonly Date[]>>;
}

const simulationKeys: TokenKeys = {
  current: 'simulation',
  secrets: new Map([['simulation', 'simulation-only-key-never-deployed-0123456789']]),
};

/** A batch of the tick's work: far more than one virtual minute ever holds for one contact. */
const tickOptions = { settleSeconds: 0, firstRunLookbackMinutes: 1, maxBuckets: 100_000 };

/**
 * Runs a journey for one contact on the real code: the deployment's use cases
 * (handleContactEvent, deliverMessage, fireDueTimers, the consent and ingestion use
 * cases, date triggers) on the in-memory adapters, with a virtual clock and a
 * mailer, texter and bus that record instead of sending. What the table's stream
 * would deliver is handed to its use case in write order, as the stream functions
 * do; time jumps to the next given event or the next timer, as the tick finds it.
 */
export const simulate = async (
  input: SimulationInput,
  sources: SimulationSources,
): Promise<SimulationResult> => {
  const { definition, from, to } = input;
  const events = parseSimulationEvents(input.contact.id, input.events)
    .filter((event) => Date.parse(event.at) >= from.getTime())
    .sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  const world = new MemoryWorld({ start: from });
  const defaultTimeZone = sources.defaultTimeZone ?? 'UTC';
  const deployment = memoryDeployment(world, {
    defaultTimeZone,
    publicBaseUrl: 'https://simulation.invalid',
    tokenKeys: simulationKeys,
    tokenTtlDays: 90,
    sender: sources.sender ?? 'Rapport <hello@rapport.local>',
    postalAddress: sources.postalAddress ?? 'Rapport Example Ltd, 1 Example Street, Springfield 12345',
    sms: { marketingType: 'Promotional', transactionalType: 'Transactional' },
    policy: async () => sources.policy,
    ...(sources.catalog === undefined ? {} : { catalog: sources.catalog }),
    ...(sources.coPurchases === undefined ? {} : { coPurchases: sources.coPurchases }),
    ingestion: {
      messageDedupeDays: 30,
      orderDedupeDays: 400,
      attributionWindowDays: 7,
      defaultCurrency: sources.defaultCurrency ?? fallbackCurrency,
    },
    // One contact's path runs no journey jobs: their pace is never read.
    journeyJobs: { fanOutEventsPerRun: 600 },
    emailSendRate: newSesAccountSendRate,
    ...(sources.sunsetAfter === undefined ? {} : { sunsetAfter: sources.sunsetAfter }),
  });
  const { advance: advanceDeps, deliver: deliverDeps, ingest: ingestDeps, links: linkDeps } = deployment;
  const link = (purpose: 'confirm' | 'unsubscribe' | 'preferences') =>
    issueToken(simulationKeys, {
      purpose,
      contactId: input.contact.id,
      expiresAt: new Date(world.clock.now().getTime() + 90 * 86_400_000),
    });

  const journey = await world.journeys.publish(definition, from);
  for (const { template } of templatesUsed(definition)) {
    const found = await sources.template(template);
    if (found !== undefined) await world.templates.publish(found, await compileEmail(found), from);
  }
  if (sources.policy !== undefined) await world.deliveryPolicies.put(sources.policy, from);
  await createContact(world, input, events);
  const recorder = new TimelineRecorder(world, journey, defaultTimeZone);

  let steps = 0;
  const step = () => {
    steps += 1;
    if (steps > maxSimulationSteps) {
      throw new SimulationInputError(
        `the simulation ran ${maxSimulationSteps} steps before ${to.toISOString()}; simulate a shorter window, or give the loop a longer wait`,
      );
    }
    if (recorder.length > maxTimelineEntries) {
      throw new SimulationInputError(
        `the simulation wrote more than ${maxTimelineEntries} lines before ${to.toISOString()}; simulate a shorter window, or give the loop a longer wait`,
      );
    }
  };

  /** What the stream functions do with what was written, until nothing new is. */
  const settle = async (): Promise<void> => {
    for (let inserts = world.drainInserts(); inserts.length > 0; inserts = world.drainInserts()) {
      for (const insert of inserts) {
        step();
        switch (insert.kind) {
          case 'event': {
            const { journeys: outcomes } = await handleContactEvent(advanceDeps, insert.event);
            await recorder.afterEvent(insert.event, outcomes);
            break;
          }
          case 'message': {
            const message = await world.outbox.get(insert.message.contactId, insert.message.key);
            const outcome = await deliverMessage(deliverDeps, insert.message).catch((error: unknown) => {
              // The deployment would dead-letter it (a template never published, say): the timeline says why.
              if (error instanceof UnprocessableRecordError)
                return { outcome: 'failed' as const, error: `dead-lettered: ${error.message}` };
              throw error;
            });
            if (message !== undefined) await recorder.afterDelivery(message, outcome);
            break;
          }
          case 'outbound-event': {
            await publishOutboundEvent(
              { events: world.outboundEvents, publisher: world.publisher, clock: world.clock },
              insert.outboundEvent,
            );
            await recorder.afterPublish(insert.outboundEvent);
            break;
          }
          case 'undecodable':
            break;
          default: {
            const unknownInsert: never = insert;
            throw new Error(`unknown insert ${JSON.stringify(unknownInsert)}`);
          }
        }
      }
    }
  };

  /** A given event as the deployment would have written it: through its use case where it has one. */
  const apply = async (event: ContactEvent): Promise<void> => {
    const source = { page: 'simulation' };
    switch (event.type) {
      case 'signup_confirmed': {
        // The contact waiting for it confirms through the real page; one who is not
        // (a later signup, confirmed again) reaches journeys as its event.
        const contact = await world.contacts.get(event.contactId);
        if (contact?.consent.email.status === 'pending') {
          await confirmSubscription(linkDeps, { token: link('confirm'), source });
        } else if (!(await world.events.append(event))) {
          recorder.replayed(event);
        }
        return;
      }
      case 'unsubscribed':
        await unsubscribe(linkDeps, { token: link('unsubscribe'), source });
        return;
      case 'topics_changed': {
        const topics = stringsIn(event.data.topics) ?? [];
        await updatePreferences(
          {
            ...linkDeps,
            topics: [...new Set([...topics, ...input.contact.topics])],
            confirmationResendAfterMs: 10 * 60_000,
          },
          { token: link('preferences'), form: { action: 'save', topics }, source },
        );
        return;
      }
      case 'contact_updated': {
        const attributes = event.data.attributes;
        await ingestCall(
          ingestDeps,
          {
            type: 'identify',
            email: input.contact.email,
            messageId: event.id,
            timestamp: event.at,
            traits: typeof attributes === 'object' && attributes !== null ? attributes : {},
          },
          'api',
        );
        return;
      }
      default:
        // Orders, views, launches and custom events arrive as the journeys function sees them;
        // one whose id was stored already is a replay, which the table keeps once.
        if (!(await world.events.append(event))) recorder.replayed(event);
        // The card stays the request's, but an order is engagement, as ingestion records it.
        else if (event.type === 'order_completed')
          await recordEngagement(
            world,
            event.contactId,
            engagementInstant(event.at, world.clock.now()),
            world.clock.now(),
          );
    }
  };

  // The date-trigger backfill a publication files, for this contact.
  if (isDateTrigger(definition.trigger)) {
    const contact = await world.contacts.get(input.contact.id);
    if (contact !== undefined) await scheduleDateTriggers(advanceDeps, contact, from, [journey]);
  }
  await settle();
  let nextEvent = 0;
  for (;;) {
    const eventAt = events[nextEvent] === undefined ? undefined : Date.parse(events[nextEvent]?.at ?? '');
    const timerAt = world.nextTimerAt()?.getTime();
    const next = Math.min(eventAt ?? Number.POSITIVE_INFINITY, timerAt ?? Number.POSITIVE_INFINITY);
    if (!Number.isFinite(next) || next > to.getTime()) break;
    world.clock.set(new Date(Math.max(next, world.clock.now().getTime())));
    const event = events[nextEvent];
    if (event !== undefined && eventAt !== undefined && eventAt <= world.clock.now().getTime()) {
      nextEvent += 1;
      step();
      await apply(event);
    } else {
      await tickNow(world);
    }
    await settle();
  }
  return recorder.result(await world.contacts.get(input.contact.id));
};

/**
 * The tick, now. The timers before the next one were all fired already, so the
 * ticks that would have run in between found nothing: the cursor is moved up to
 * now as theirs would have been, and this run reads only the current minute.
 */
const tickNow = async (world: MemoryWorld): Promise<void> => {
  const now = world.clock.now();
  const cursor = await world.timers.readCursor();
  const before = minuteBucket(new Date(now.getTime() - 120_000));
  if (cursor !== undefined && cursor.drainedThrough < before) {
    await world.timers.advanceCursor(cursor, { ...cursor, drainedThrough: before });
  }
  await fireDueTimers({ timers: world.timers }, now, { ...tickOptions, shards: world.timerShards });
};

const stringsIn = (value: unknown): string[] | undefined =>
  Array.isArray(value) && value.every((item) => typeof item === 'string') ? value : undefined;

/**
 * The contact as it stands at `from`. A contact given as subscribed whose events
 * confirm a signup is taken to be waiting for the first confirmation, so the real
 * confirmation (and the `signup_confirmed` event it writes) happens when given.
 */
const createContact = async (world: MemoryWorld, input: SimulationInput, events: ContactEvent[]) => {
  const at = input.from.toISOString();
  const given = input.contact;
  const confirmation = events.find((event) => event.type === 'signup_confirmed');
  const contact: Contact =
    confirmation !== undefined && given.consent.email.status === 'subscribed'
      ? {
          ...given,
          consent: { ...given.consent, email: { status: 'pending', changedAt: at } },
          topics: [],
          // The topics the confirmation names are the ones asked for at signup.
          pendingTopics: stringsIn(confirmation.data.topics) ?? given.topics,
        }
      : given;
  const sent: Message[] = (['email', 'sms'] as const).flatMap((channel) =>
    (input.sentBefore?.[channel] ?? []).map(
      (sentAt, index): Message => ({
        contactId: contact.id,
        key: `before#${channel}#${index}`,
        channel,
        kind: 'marketing',
        templateId: 'earlier',
        status: 'sent',
        createdAt: sentAt.toISOString(),
        sentAt: sentAt.toISOString(),
        attempts: 1,
      }),
    ),
  );
  await world.contacts.create({
    contact,
    consent: {
      id: world.ids.next(),
      contactId: contact.id,
      at,
      channel: 'email',
      action: contact.consent.email.status === 'pending' ? 'requested' : 'confirmed',
      topics: contact.topics.length > 0 ? contact.topics : contact.pendingTopics,
      source: { kind: 'operator', page: 'simulation' },
    },
    messages: sent,
  });
  // Earlier sends count against the caps; they are not this run's to deliver.
  world.drainInserts();
};
