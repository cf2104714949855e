import { type ApiKey, bearerKey, hashApiKey } from '../domain/api-key.js';
import { type Attribution, attributePurchase, orderSource, withMessage } from '../domain/attribution.js';
import { withCategories } from '../domain/category-path.js';
import type { Contact } from '../domain/contact.js';
import { normalizeEmail } from '../domain/contact.js';
import type { ContactEvent } from '../domain/contact-event.js';
import type { CounterIncrement } from '../domain/counter-increment.js';
import { type CustomerCard, emptyCustomerCard, type OwnedProduct } from '../domain/customer-card.js';
import { applyOrder, applyRefund } from '../domain/customer-card-updates.js';
import { refreshCustomerValue, rfmThresholds } from '../domain/customer-value.js';
import { engagementInstant, withEngagement } from '../domain/engagement.js';
import {
  PayloadTooLargeError,
  UnauthorizedError,
  UnstorableItemError,
  ValidationError,
} from '../domain/errors.js';
import {
  type CallProblems,
  type IngestedEvent,
  minorUnitsOf,
  parseCall,
  type TimestampWindow,
} from '../domain/ingested-event.js';
import { DateOutOfRangeError } from '../domain/iso-range.js';
import { fromMinorUnits, rescaleMinorUnits } from '../domain/money.js';
import type { Order } from '../domain/order.js';
import { own } from '../domain/own-property.js';
import type { Product } from '../domain/product.js';
import { withLearnedReplacements } from '../domain/replacement-cycles.js';
import { campaignScopes, metricKey, type StatsMetric, statsScope } from '../domain/stats-keys.js';
import { isTimeZone } from '../domain/time-zone.js';
import type { ApiKeyStore } from '../ports/api-key-store.js';
import type { ClickLog } from '../ports/click-log.js';
import type { Clock } from '../ports/clock.js';
import type { CoPurchaseStore } from '../ports/co-purchase-store.js';
import type { ContactLookup } from '../ports/contact-store.js';
import type { CustomerValueStore } from '../ports/customer-value-store.js';
import type { IdGenerator } from '../ports/id-generator.js';
import type { DedupeMark, IdentityClaim, IngestionStore, ProfileWrite } from '../ports/ingestion-store.js';
import type { Outbox } from '../ports/outbox.js';
import type { ProductLookup } from '../ports/product-lookup.js';
import type { RateLimiter } from '../ports/rate-limiter.js';
import type { StatsStore } from '../ports/stats-store.js';
import { verifyCredential } from './bad-credentials.js';
import { inOrderPerKey } from './in-order-per-key.js';
import { retryOnConflict } from './retry-on-conflict.js';

export type IngestionChannel = 'api' | 'eventbridge';

export interface IngestDeps {
  store: IngestionStore;
  clicks: Pick<ClickLog, 'since'>;
  /** The clicked message, for the node and template an attributed order credits. */
  messages: Pick<Outbox, 'get'>;
  stats: StatsStore;
  /**
   * The base-wide RFM cuts and value model; before the first refresh, a purchase is scored
   * against itself (neutral scores). The learned replacement cycles date what an order
   * bought when the catalog sets no cycle.
   */
  customerValue: Pick<CustomerValueStore, 'thresholds' | 'cycles'>;
  coPurchases: Pick<CoPurchaseStore, 'addOrder'>;
  contacts: ContactLookup;
  catalog: ProductLookup;
  clock: Clock;
  ids: IdGenerator;
  settings: {
    /** How long a messageId is remembered (Segment retries within hours; a day or more is plenty). */
    messageDedupeDays: number;
    /** How long an order id is remembered across contacts; the order item itself never expires. */
    orderDedupeDays: number;
    /** A purchase within this many days of a click is credited to the clicked message. */
    attributionWindowDays: number;
    /** The deployment's currency: an order's when it names none, and the attributed revenue counter's. */
    defaultCurrency: string;
    /** When a call's timestamp may lie; defaultTimestampWindow when absent. */
    timestampWindow?: TimestampWindow;
  };
}

export const maxBatchCalls = 500;
export const maxBatchBytes = 500 * 1024;

export type CallOutcome =
  | { status: 'accepted'; messageId: string; contactId: string; eventId: string }
  | { status: 'duplicate'; messageId: string }
  | { status: 'rejected'; messageId?: string; errors: CallProblems }
  /** Not stored because of a fault on our side (a conflict that kept recurring, a throttled table): send it again. */
  | { status: 'failed'; messageId?: string; error: string; retryable: true };

export interface AuthenticateDeps {
  apiKeys: Pick<ApiKeyStore, 'findByHash'>;
  rateLimiter: RateLimiter;
  clock: Clock;
}

/** One answer for a missing, unknown, revoked or locked-out key: none tells a guesser anything. */
const noValidKey = () =>
  new UnauthorizedError('send a valid API key: "Authorization: Bearer rk_…" (see `npx rapport keys create`)');

/**
 * The key in `Authorization: Bearer rk_…`, if it is known and not revoked. Wrong keys
 * count against the caller's address (`verifyCredential`), so keys cannot be guessed at
 * speed. A missing or malformed key counts for nothing: it guesses nothing.
 */
export const authenticate = async (
  deps: AuthenticateDeps,
  authorization: string | undefined,
  sourceIp: string | undefined,
): Promise<ApiKey> => {
  const key = bearerKey(authorization);
  if (key === undefined) throw noValidKey();
  const stored = await verifyCredential(deps, {
    purpose: 'bad-api-key',
    sourceIp,
    verify: async () => {
      const found = await deps.apiKeys.findByHash(hashApiKey(key));
      return found === undefined || found.revokedAt !== undefined ? undefined : found;
    },
  });
  if (stored === undefined) throw noValidKey();
  return stored;
};

const days = (count: number) => count * 86_400;

/** The profile fields that name the identities a call links to an existing contact. */
const linkedIdentities = (
  claims: readonly IdentityClaim[],
): Partial<Pick<Contact, 'email' | 'externalId'>> => {
  const email = claims.find((claim) => claim.kind === 'email')?.value;
  const userId = claims.find((claim) => claim.kind === 'user')?.value;
  return {
    ...(email === undefined ? {} : { email }),
    ...(userId === undefined ? {} : { externalId: userId }),
  };
};

const claimText = (claim: Pick<IdentityClaim, 'kind' | 'value'>) => `${claim.kind}:${claim.value}`;
const markText = (mark: Pick<DedupeMark, 'kind' | 'id'>) => `${mark.kind}:${mark.id}`;

/** The dedupe marks a call writes, without their expiry. */
const marksOf = (event: IngestedEvent): Array<Pick<DedupeMark, 'kind' | 'id'>> => [
  { kind: 'message', id: event.messageId },
  ...(event.kind === 'order' ? [{ kind: 'order' as const, id: event.orderId }] : []),
];

/** Who the calls of a batch are about, read before any of them ran: each claim's owner and those owners. */
interface PeopleRead {
  owners: ReadonlyMap<string, string | undefined>;
  contacts: ReadonlyMap<string, Contact>;
}

/** What a call may take from its batch's reads instead of reading it again. */
interface CallHints {
  /** One of the call's dedupe marks was stored before the batch came. */
  marked?: boolean;
  /** Only the first call of a person gets these: the ones after it would find what it wrote missing. */
  people?: PeopleRead;
}

const claimsOf = (event: IngestedEvent): IdentityClaim[] => [
  ...(event.identity.userId === undefined ? [] : [{ kind: 'user' as const, value: event.identity.userId }]),
  ...(event.identity.email === undefined
    ? []
    : [{ kind: 'email' as const, value: normalizeEmail(event.identity.email) }]),
];

/**
 * The contact a call is about, by the shop's user id first, then the email;
 * someone the database has never seen becomes a contact with no marketing
 * consent: buying is not permission to mail.
 */
const resolveContact = async (
  deps: IngestDeps,
  event: IngestedEvent,
  channel: IngestionChannel,
  people: PeopleRead | undefined,
): Promise<{ contact: Contact; isNew: boolean; unclaimed: IdentityClaim[] }> => {
  const claims = claimsOf(event);
  const owners = await Promise.all(
    claims.map(async (claim) => {
      const key = claimText(claim);
      if (people?.owners.has(key)) {
        const owner = people.owners.get(key);
        return { claim, owner, contact: owner === undefined ? undefined : people.contacts.get(owner) };
      }
      const owner = await deps.store.resolve(claim);
      return { claim, owner, contact: owner === undefined ? undefined : await deps.contacts.get(owner) };
    }),
  );
  // A lookup that points at no contact (erased, or a write that failed half way) is free to take over.
  const free = owners.flatMap(({ claim, owner, contact }) =>
    contact !== undefined ? [] : [owner === undefined ? claim : { ...claim, replaces: owner }],
  );
  const existing = owners.find(({ contact }) => contact !== undefined)?.contact;
  if (existing !== undefined) {
    // Only what the profile will name: erasure finds a contact's lookups through its profile.
    const linkable = free.filter((claim) =>
      claim.kind === 'email' ? existing.email === '' : existing.externalId === undefined,
    );
    return { contact: existing, isNew: false, unclaimed: linkable };
  }
  const at = deps.clock.now().toISOString();
  const email = claims.find((claim) => claim.kind === 'email')?.value;
  const contact: Contact = {
    id: deps.ids.next(),
    email: email ?? '',
    ...(event.identity.userId === undefined ? {} : { externalId: event.identity.userId }),
    consent: { email: { status: 'none', changedAt: at }, sms: { status: 'none', changedAt: at } },
    topics: [],
    pendingTopics: [],
    attributes: {},
    acquisition: { form: `ingestion:${channel}`, at },
    createdAt: at,
    updatedAt: at,
    version: 1,
  };
  return { contact, isNew: true, unclaimed: free };
};

/** Identify traits that have a place of their own on the profile; the rest become attributes. */
const profileTraits = new Set(['email', 'phone', 'name', 'timezone', 'firstName', 'lastName']);

const identified = (contact: Contact, traits: Record<string, unknown>) => {
  const attributes = { ...contact.attributes };
  const changed: string[] = [];
  for (const [name, value] of Object.entries(traits)) {
    if (profileTraits.has(name) || JSON.stringify(own(attributes, name)) === JSON.stringify(value)) continue;
    attributes[name] = value;
    changed.push(name);
  }
  const fullName = [traits.firstName, traits.lastName].filter((part) => typeof part === 'string').join(' ');
  const name = typeof traits.name === 'string' ? traits.name : fullName === '' ? undefined : fullName;
  const zone =
    typeof traits.timezone === 'string' && isTimeZone(traits.timezone) ? traits.timezone : undefined;
  return {
    contact: {
      ...contact,
      attributes,
      ...(name === undefined ? {} : { name }),
      ...(zone === undefined ? {} : { timeZone: zone }),
    },
    changed: [
      ...changed,
      ...(name !== undefined && name !== contact.name ? ['name'] : []),
      ...(zone !== undefined && zone !== contact.timeZone ? ['timeZone'] : []),
    ],
  };
};

const replacementOf = (
  owned: OwnedProduct | undefined,
): Partial<Pick<OwnedProduct, 'replacementDueAt' | 'replacementCycleDays' | 'replacementSource'>> =>
  owned?.replacementDueAt === undefined
    ? {}
    : {
        replacementDueAt: owned.replacementDueAt,
        ...(owned.replacementCycleDays === undefined
          ? {}
          : { replacementCycleDays: owned.replacementCycleDays }),
        ...(owned.replacementSource === undefined ? {} : { replacementSource: owned.replacementSource }),
      };

const earliestDue = (order: ReturnType<typeof orderData>['products']) =>
  order
    .flatMap((line) => (line.replacementDueAt === undefined ? [] : [line]))
    .sort((a, b) => (a.replacementDueAt ?? '').localeCompare(b.replacementDueAt ?? ''))[0];

/**
 * The event journeys see for an order, its money in major units as the shop sent it: the lines with
 * their categories (each with the levels above it, as `categories`) and, for a product that is
 * replaced, when, on which cycle and by whose: the catalog's, the customer's own or the base's
 * (`replacementSource`), so a message can say "you usually reorder every 6 weeks".
 */
const orderData = (
  order: Order,
  ownedDue: ReadonlyMap<string, OwnedProduct>,
  catalog: ReadonlyMap<string, Product>,
) => ({
  orderId: order.orderId,
  total: fromMinorUnits(order.total, order.currency),
  revenue: fromMinorUnits(order.revenue, order.currency),
  currency: order.currency,
  products: order.lines.map((line) => {
    // What a message about this line needs and the shop may not send: the product's name and page.
    const product = catalog.get(line.sku);
    return {
      ...withCategories({ ...line, price: fromMinorUnits(line.price, order.currency) }),
      ...(line.name === undefined && product !== undefined ? { name: product.name } : {}),
      ...(product?.url === undefined ? {} : { url: product.url }),
      ...replacementOf(ownedDue.get(line.sku)),
    };
  }),
});

/**
 * The attribution with its last click's node and template, read from the
 * clicked message (SES tags carry only the message key and journey): one read,
 * only for an order that a click led to.
 */
const attributed = async (deps: IngestDeps, contactId: string, attribution: Attribution) => {
  const click = attribution.lastClick;
  if (click === undefined) return attribution;
  return {
    ...attribution,
    lastClick: withMessage(click, await deps.messages.get(contactId, click.messageId)),
  };
};

/** The card scored incrementally against the stored cuts: RFM, tier, CLV and churn risk as of now. */
const valued = async (deps: IngestDeps, card: CustomerCard, now: Date): Promise<CustomerCard> =>
  refreshCustomerValue(card, (await deps.customerValue.thresholds()) ?? rfmThresholds([card], now), now);

interface PlannedWrite {
  profile: Contact;
  changed: boolean;
  event: Omit<ContactEvent, 'id' | 'contactId'>;
  order?: Order;
  refund?: { orderId: string; refundedBefore: number; refundedAfter: number };
  dedupe: DedupeMark[];
}

const plan = async (
  deps: IngestDeps,
  event: IngestedEvent,
  contact: Contact,
  isNew: boolean,
  channel: IngestionChannel,
): Promise<PlannedWrite | { problems: CallProblems }> => {
  const now = deps.clock.now();
  const expires = (count: number) => Math.ceil(now.getTime() / 1000) + days(count);
  const messageMark: DedupeMark = {
    kind: 'message',
    id: event.messageId,
    expiresAt: expires(deps.settings.messageDedupeDays),
  };
  switch (event.kind) {
    case 'identify': {
      const next = identified(contact, event.traits);
      return {
        profile: next.contact,
        changed: next.changed.length > 0,
        event: {
          type: 'contact_updated',
          at: event.at,
          data: {
            changed: next.changed,
            attributes: Object.fromEntries(
              next.changed.map((name) => [name, own(next.contact.attributes, name) ?? null]),
            ),
            source: 'identify',
          },
        },
        dedupe: [messageMark],
      };
    }
    case 'order': {
      const catalog = await deps.catalog.getMany(event.products.map((product) => product.sku));
      const order: Order = {
        orderId: event.orderId,
        contactId: contact.id,
        at: event.at,
        revenue: event.revenue,
        total: event.total,
        currency: event.currency,
        refunded: 0,
        lines: event.products.map((product) => {
          const category = product.category ?? catalog.get(product.sku)?.category;
          return { ...product, ...(category === undefined ? {} : { category }) };
        }),
        source: { channel },
      };
      const window = deps.settings.attributionWindowDays;
      const since = new Date(Date.parse(event.at) - window * 86_400_000).toISOString();
      const attribution = await attributed(
        deps,
        contact.id,
        // A contact made for this very call has an id nothing was ever clicked under.
        attributePurchase(
          order,
          isNew ? [] : await deps.clicks.since(contact.id, since),
          contact.acquisition,
          window,
        ),
      );
      order.source = { ...order.source, ...orderSource(attribution) };
      const learned = await deps.customerValue.cycles();
      const bought = applyOrder(contact.customer, order, catalog);
      const card = await valued(
        deps,
        learned === undefined ? bought : withLearnedReplacements(bought, learned, catalog),
        now,
      );
      const due = new Map(
        card.ownedProducts
          .filter((owned) => owned.orderId === order.orderId && owned.replacementDueAt !== undefined)
          .map((owned) => [owned.sku, owned]),
      );
      const data = orderData(order, due, catalog);
      const first = earliestDue(data.products);
      return {
        // An order is engagement, dated by the order: the card's write carries it.
        profile: withEngagement({ ...contact, customer: card }, engagementInstant(event.at, now)),
        changed: true,
        event: {
          type: 'order_completed',
          at: event.at,
          data: {
            ...data,
            ...(first === undefined
              ? {}
              : { replacementDueAt: first.replacementDueAt, replacementCategory: first.category }),
            attribution,
          },
        },
        order,
        dedupe: [
          messageMark,
          { kind: 'order', id: event.orderId, expiresAt: expires(deps.settings.orderDedupeDays) },
        ],
      };
    }
    case 'refund': {
      const order = await deps.store.order(contact.id, event.orderId);
      if (order === undefined) {
        return {
          problems: { 'properties.order_id': `no order "${event.orderId}" was received for this customer` },
        };
      }
      // Refunds add up per order, so a second "rest of the order" or a replay under a new id cannot take more.
      const left = order.revenue - order.refunded;
      if (left <= 0)
        return {
          problems: { 'properties.order_id': `order "${order.orderId}" was refunded in full already` },
        };
      const asked =
        event.amount === undefined
          ? undefined
          : minorUnitsOf([[event.amountField, event.amount]], order.currency);
      if (asked?.ok === false) return { problems: asked.problems };
      const requested = asked?.minor.get(event.amountField);
      if (requested !== undefined && requested > left) {
        return {
          problems: {
            [event.amountField]: `is more than the ${fromMinorUnits(left, order.currency)} ${order.currency} left to refund of order "${order.orderId}"`,
          },
        };
      }
      const amount = requested ?? left;
      return {
        refund: {
          orderId: order.orderId,
          refundedBefore: order.refunded,
          refundedAfter: order.refunded + amount,
        },
        profile: {
          ...contact,
          customer: await valued(
            deps,
            applyRefund(contact.customer ?? emptyCustomerCard(), {
              orderId: order.orderId,
              contactId: contact.id,
              at: event.at,
              amount,
              currency: order.currency,
            }),
            now,
          ),
        },
        changed: true,
        event: {
          type: 'order_refunded',
          at: event.at,
          data: {
            orderId: order.orderId,
            amount: fromMinorUnits(amount, order.currency),
            currency: order.currency,
          },
        },
        dedupe: [messageMark],
      };
    }
    case 'product_viewed':
      return {
        profile: contact,
        changed: false,
        event: { type: 'product_viewed', at: event.at, data: withCategories(event.properties) },
        dedupe: [messageMark],
      };
    case 'track':
      return {
        profile: contact,
        changed: false,
        event: { type: 'track', at: event.at, data: { name: event.name, properties: event.properties } },
        dedupe: [messageMark],
      };
    default: {
      const unknownEvent: never = event;
      throw new Error(`unknown ingested event ${JSON.stringify(unknownEvent)}`);
    }
  }
};

const record = async (
  deps: IngestDeps,
  event: IngestedEvent,
  channel: IngestionChannel,
  hints: CallHints,
): Promise<CallOutcome> => {
  // A mark read before the batch is there for good (TTL aside, and an expired mark still meant a stored call),
  // and it is only written in the transaction that stored the call: answering `duplicate` loses nothing.
  // A mark not seen then may be written since, by a retry racing this one: the conditional put of the
  // mark in `record` stays the guard, so the bulk read can skip work but never let a duplicate through.
  if (hints.marked === true) return { status: 'duplicate', messageId: event.messageId };
  let people = hints.people;
  return retryOnConflict(async () => {
    // A retry follows a concurrent write: it reads afresh, never what the batch read before it.
    const read = people;
    people = undefined;
    const { contact, isNew, unclaimed } = await resolveContact(deps, event, channel, read);
    const planned = await plan(deps, event, contact, isNew, channel);
    if ('problems' in planned)
      return { status: 'rejected', messageId: event.messageId, errors: planned.problems };
    const now = deps.clock.now().toISOString();
    const profile: ProfileWrite = isNew
      ? { kind: 'new', contact: planned.profile, identities: unclaimed }
      : planned.changed || unclaimed.length > 0
        ? {
            kind: 'update',
            contact: {
              ...planned.profile,
              ...linkedIdentities(unclaimed),
              updatedAt: now,
              version: contact.version + 1,
            },
            expectedVersion: contact.version,
            identities: unclaimed,
          }
        : { kind: 'unchanged', contactId: contact.id, readVersion: contact.version };
    const stored: ContactEvent = { ...planned.event, id: deps.ids.next(), contactId: contact.id };
    const outcome = await deps.store.record({
      dedupe: planned.dedupe,
      profile,
      event: stored,
      ...(planned.order === undefined
        ? {}
        : { order: planned.order, counters: attributedSales(deps, planned.order) }),
      ...(planned.refund === undefined ? {} : { refund: planned.refund }),
    });
    if (outcome === 'stored' && planned.order !== undefined) {
      // After the order is stored and only then: these counts are not idempotent, so a duplicate must not reach them.
      await deps.coPurchases.addOrder(planned.order.lines.map((line) => line.sku));
    }
    return outcome === 'duplicate'
      ? { status: 'duplicate', messageId: event.messageId }
      : { status: 'accepted', messageId: event.messageId, contactId: contact.id, eventId: stored.id };
  });
};

/**
 * What the order's attribution counts: the clicked journey's sales, and the clicked
 * campaign's in total and by the customer's acquisition medium, under the campaign
 * and the clicked variant, by the day of the purchase. Stored in the order's own
 * transaction, so a call sent again (a duplicate) counts nothing.
 */
const attributedSales = (deps: IngestDeps, order: Order): CounterIncrement[] => {
  const day = order.at.slice(0, 10);
  const revenue = rescaleMinorUnits(order.revenue, order.currency, deps.settings.defaultCurrency);
  const { journeyId, campaignId, variant } = order.source;
  const sold: Array<[StatsMetric, number]> = [
    [{ kind: 'attributed', metric: 'orders' }, 1],
    [{ kind: 'attributed', metric: 'revenue-minor' }, revenue],
  ];
  const medium = order.source.acquisition?.utm?.medium ?? null;
  const byMedium: Array<[StatsMetric, number]> = [
    [{ kind: 'attributed-by-medium', metric: 'orders', medium }, 1],
    [{ kind: 'attributed-by-medium', metric: 'revenue-minor', medium }, revenue],
  ];
  const counted = (scope: string, metrics: Array<[StatsMetric, number]>): CounterIncrement[] =>
    metrics.map(([metric, by]) => ({ scope, day, metric: metricKey(metric), by }));
  return [
    ...(journeyId === undefined ? [] : counted(statsScope.journey(journeyId), sold)),
    ...(campaignId === undefined
      ? []
      : campaignScopes(campaignId, variant).flatMap((scope) => counted(scope, [...sold, ...byMedium]))),
  ];
};

type ParsedCall = ReturnType<typeof parseCall>;

const parsedCall = (deps: IngestDeps, raw: unknown): ParsedCall =>
  parseCall(raw, deps.clock.now(), deps.settings.timestampWindow, deps.settings.defaultCurrency);

/** One call: checked, deduplicated, stored with what it changes, or refused naming each field. */
export const ingestCall = async (
  deps: IngestDeps,
  raw: unknown,
  channel: IngestionChannel,
): Promise<CallOutcome> => answerParsed(deps, raw, parsedCall(deps, raw), channel, {});

const answerParsed = async (
  deps: IngestDeps,
  raw: unknown,
  parsed: ParsedCall,
  channel: IngestionChannel,
  hints: CallHints,
): Promise<CallOutcome> => {
  if (!parsed.ok) {
    const messageId =
      typeof raw === 'object' && raw !== null && 'messageId' in raw ? raw.messageId : undefined;
    return {
      status: 'rejected',
      ...(typeof messageId === 'string' ? { messageId } : {}),
      errors: parsed.problems,
    };
  }
  try {
    return await record(deps, parsed.event, channel, hints);
  } catch (error) {
    // What the call holds, not our side, is at fault: sending it again would fail again.
    if (error instanceof DateOutOfRangeError) {
      return { status: 'rejected', messageId: parsed.event.messageId, errors: { timestamp: error.message } };
    }
    if (error instanceof UnstorableItemError) {
      return {
        status: 'rejected',
        messageId: parsed.event.messageId,
        errors: { call: `cannot be stored: ${error.message}` },
      };
    }
    throw error;
  }
};

/** People whose calls a batch runs at once: enough to hide the table's latency, few enough for one function. */
const batchConcurrency = 16;

const textAt = (value: unknown, ...path: string[]): string | undefined => {
  let current: unknown = value;
  for (const key of path) {
    if (typeof current !== 'object' || current === null || !(key in current)) return undefined;
    current = Object.getOwnPropertyDescriptor(current, key)?.value;
  }
  return typeof current === 'string' || typeof current === 'number' ? String(current) : undefined;
};

/** Who a raw call is about, as far as can be told before it is checked: its calls must stay in order. */
const personKey = (call: unknown): string | undefined => {
  const userId = textAt(call, 'userId');
  if (userId !== undefined) return `user:${userId}`;
  const email =
    textAt(call, 'email') ??
    textAt(call, 'traits', 'email') ??
    textAt(call, 'properties', 'email') ??
    textAt(call, 'context', 'traits', 'email');
  return email === undefined ? undefined : `email:${email.trim().toLowerCase()}`;
};

/** One call's answer, a fault on our side included: it must not take the others' answers with it. */
const answerCall = async (call: unknown, answer: () => Promise<CallOutcome>): Promise<CallOutcome> => {
  try {
    return await answer();
  } catch (error) {
    const messageId = textAt(call, 'messageId');
    return {
      status: 'failed',
      ...(messageId === undefined ? {} : { messageId }),
      error: error instanceof Error ? error.name : 'Error',
      retryable: true,
    };
  }
};

const unique = <T>(values: readonly T[], keyOf: (value: T) => string): T[] => [
  ...new Map(values.map((value) => [keyOf(value), value])).values(),
];

interface BatchReads {
  people: PeopleRead;
  /** The dedupe marks (markText) stored before the batch came. */
  marked: ReadonlySet<string>;
  products: ReadonlyMap<string, Product>;
}

/**
 * What the batch's calls would each read on their own, read in a few bulk
 * requests before any of them runs: who each identity belongs to and those
 * contacts, which dedupe marks exist, the products ordered.
 */
const readAhead = async (deps: IngestDeps, events: readonly IngestedEvent[]): Promise<BatchReads> => {
  const claims = unique(events.flatMap(claimsOf), claimText);
  const marks = unique(events.flatMap(marksOf), markText);
  const skus = [
    ...new Set(
      events.flatMap((event) => (event.kind === 'order' ? event.products.map(({ sku }) => sku) : [])),
    ),
  ];
  const [owners, marked, products] = await Promise.all([
    deps.store.resolveMany(claims),
    deps.store.marked(marks),
    deps.catalog.getMany(skus),
  ]);
  const ownerIds = [...new Set(owners.flatMap((owner) => (owner === undefined ? [] : [owner])))];
  return {
    people: {
      owners: new Map(claims.map((claim, index) => [claimText(claim), owners[index]])),
      contacts: await deps.contacts.getMany(ownerIds),
    },
    marked: new Set(marks.filter((_, index) => marked[index] === true).map(markText)),
    products,
  };
};

/**
 * The batch's dependencies with the catalog answered from what was read ahead and the RFM
 * cuts and learned cycles read once: none changes with the batch's own writes, and all change rarely.
 */
const withBatchReads = (deps: IngestDeps, products: ReadonlyMap<string, Product>): IngestDeps => {
  let cuts: ReturnType<IngestDeps['customerValue']['thresholds']> | undefined;
  let cycles: ReturnType<IngestDeps['customerValue']['cycles']> | undefined;
  return {
    ...deps,
    catalog: {
      getMany: async (skus) => {
        const known = (sku: string): Array<[string, Product]> => {
          const product = products.get(sku);
          return product === undefined ? [] : [[sku, product]];
        };
        return new Map(skus.flatMap(known));
      },
    },
    customerValue: {
      thresholds: () => {
        cuts ??= deps.customerValue.thresholds().catch((error: unknown) => {
          // A failed read is not kept: the next call asks again.
          cuts = undefined;
          throw error;
        });
        return cuts;
      },
      cycles: () => {
        cycles ??= deps.customerValue.cycles().catch((error: unknown) => {
          cycles = undefined;
          throw error;
        });
        return cycles;
      },
    },
  };
};

export interface BatchOutcome {
  accepted: number;
  duplicates: number;
  rejected: number;
  failed: number;
  results: Array<CallOutcome & { index: number }>;
}

/**
 * Segment's batch call: `{ batch: [ … ] }`, up to 500 calls and 500 KB. Each
 * call is answered on its own; a bad one does not keep the good ones out.
 */
export const ingestBatch = async (
  deps: IngestDeps,
  body: unknown,
  bodyBytes: number,
  channel: IngestionChannel,
): Promise<BatchOutcome> => {
  if (bodyBytes > maxBatchBytes)
    throw new PayloadTooLargeError(`a batch may be at most ${maxBatchBytes / 1024} KB`);
  const batch = typeof body === 'object' && body !== null && 'batch' in body ? body.batch : undefined;
  if (!Array.isArray(batch))
    throw new ValidationError({ batch: 'must be a list of identify and track calls' });
  if (batch.length > maxBatchCalls)
    throw new PayloadTooLargeError(`a batch may hold at most ${maxBatchCalls} calls`);
  const calls = batch.map((raw: unknown) => {
    try {
      return { raw, parsed: parsedCall(deps, raw) };
    } catch {
      // Answered as a failure by answerCall when it is parsed again.
      return { raw, parsed: undefined };
    }
  });
  const events = calls.flatMap(({ parsed }) => (parsed?.ok === true ? [parsed.event] : []));
  // Reading ahead only saves round trips: if it fails, each call reads what it needs itself.
  const reads = await readAhead(deps, events).catch(() => undefined);
  const batchDeps = reads === undefined ? deps : withBatchReads(deps, reads.products);
  const started = new Set<string>();
  // Calls about the same person go in order (an identify before their order); different people at once.
  const answers = await inOrderPerKey<(typeof calls)[number], string, CallOutcome>(
    calls,
    ({ raw }, index) => personKey(raw) ?? `#${index}`,
    batchConcurrency,
    ({ raw, parsed }, person) => {
      const first = !started.has(person);
      started.add(person);
      return answerCall(raw, () => {
        if (parsed === undefined) return ingestCall(batchDeps, raw, channel);
        const hints: CallHints = {
          marked: parsed.ok && marksOf(parsed.event).some((mark) => reads?.marked.has(markText(mark))),
          ...(first && reads !== undefined ? { people: reads.people } : {}),
        };
        return answerParsed(batchDeps, raw, parsed, channel, hints);
      });
    },
  );
  const results = answers.map((answer, index) => ({ index, ...answer }));
  const count = (status: CallOutcome['status']) =>
    results.filter((result) => result.status === status).length;
  return {
    accepted: count('accepted'),
    duplicates: count('duplicate'),
    rejected: count('rejected'),
    failed: count('failed'),
    results,
  };
};
