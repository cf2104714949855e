import { z } from 'zod';
import { inParallel } from '../../lib/app/in-parallel.js';
import { adminClient } from '../../lib/cli/admin-client.js';
import { timing } from '../../lib/config/timing.js';
import { getJson, type LedgerEntry } from './chaos-client.js';
import { type MailWatcher, type PlannedPerson, type StoredEmail, subjects } from './chaos-traffic.js';

/**
 * What must hold after a chaos run, read back through the admin API (as an
 * operator would) and the SES emulator's store (as the recipients would).
 */

export interface InvariantRow {
  invariant: string;
  /** How many things were checked. */
  checked: number;
  violations: number;
  /** Happenings within a documented bound, not violations: counted, named, never hidden. */
  bounded?: number;
  /** The first few violations (or bounded happenings), named. */
  examples: string[];
}

const ContactAnswer = z.object({
  contact: z.object({
    id: z.string(),
    consent: z.object({ email: z.object({ status: z.string() }) }),
    customer: z.object({ orders: z.number(), revenue: z.number() }).optional(),
  }),
  consentLog: z.array(z.object({ action: z.string(), at: z.string() })),
});

const Item = z.record(z.string(), z.unknown());
const ContactExport = z.object({
  messages: z.array(Item),
  events: z.array(Item),
  orders: z.array(Item),
  enrollments: z.array(Item),
});

const DeadLetters = z.array(
  z.object({ functionName: z.string(), error: z.string().optional(), reason: z.string().optional() }),
);

const cents = (major: number): number => Math.round(major * 100);

const row = (invariant: string, checked: number, failures: string[]): InvariantRow => ({
  invariant,
  checked,
  violations: failures.length,
  examples: failures.slice(0, 5),
});

interface PersonRecord {
  person: PlannedPerson;
  answer: z.infer<typeof ContactAnswer> | undefined;
  exported: z.infer<typeof ContactExport> | undefined;
  emails: StoredEmail[];
}

const acceptedOf = (ledger: readonly LedgerEntry[], person: PlannedPerson) =>
  ledger.filter((entry) => entry.contact === person.index);

const orderIdOf = (item: Record<string, unknown>): unknown => {
  const data = item.data;
  return typeof data === 'object' && data !== null && 'orderId' in data ? data.orderId : undefined;
};

export const checkInvariants = async (context: {
  apiUrl: string;
  adminToken: string;
  mail: MailWatcher;
  people: readonly PlannedPerson[];
  ledger: readonly LedgerEntry[];
  /** When the runtime was killed (epoch ms). */
  kills: readonly number[];
}): Promise<InvariantRow[]> => {
  const admin = adminClient({ baseUrl: context.apiUrl, token: context.adminToken });
  const allMail = await context.mail.fresh();
  const mailTo = new Map<string, StoredEmail[]>();
  for (const email of allMail)
    for (const to of email.destination.to) mailTo.set(to, [...(mailTo.get(to) ?? []), email]);

  const records: PersonRecord[] = await inParallel(context.people, 8, async (person) => {
    const looked = ContactAnswer.safeParse(
      await admin('GET', `/admin/contacts?email=${encodeURIComponent(person.email)}`).catch(() => undefined),
    );
    const answer = looked.success ? looked.data : undefined;
    const exported =
      answer === undefined
        ? undefined
        : ContactExport.parse(
            await admin('GET', `/admin/contacts/${encodeURIComponent(answer.contact.id)}/export`),
          );
    return { person, answer, exported, emails: mailTo.get(person.email) ?? [] };
  });

  const stored: string[] = [];
  let storedChecked = 0;
  const greetings: string[] = [];
  const crashWindow: string[] = [];
  let greetingsChecked = 0;
  const revenue: string[] = [];
  let revenueChecked = 0;
  const afterLeaving: string[] = [];
  let afterLeavingChecked = 0;
  const stuck: string[] = [];
  let enrollmentsChecked = 0;
  const stuckAfter = Date.now() - timing.tick.localEverySeconds * 1000;

  for (const { person, answer, exported, emails } of records) {
    const calls = acceptedOf(context.ledger, person);
    const name = `person ${person.index} (${person.email})`;
    storedChecked += calls.length;
    if (answer === undefined || exported === undefined) {
      if (calls.length > 0) stored.push(`${name}: ${calls.length} accepted calls, but no contact`);
      continue;
    }
    const actions = answer.consentLog.map((entry) => entry.action);
    const count = (action: string) => actions.filter((a) => a === action).length;
    const confirmed = calls.some((call) => call.kind === 'confirm');
    const unsubscribed = calls.find((call) => call.kind === 'unsubscribe');
    if (confirmed && count('confirmed') !== 1)
      stored.push(`${name}: ${count('confirmed')} confirmations in the consent log`);
    if (unsubscribed !== undefined && count('unsubscribed') !== 1)
      stored.push(`${name}: ${count('unsubscribed')} unsubscribes in the consent log`);
    const expectedStatus = unsubscribed !== undefined ? 'unsubscribed' : confirmed ? 'subscribed' : 'pending';
    if (answer.contact.consent.email.status !== expectedStatus)
      stored.push(`${name}: consent is ${answer.contact.consent.email.status}, expected ${expectedStatus}`);
    for (const kind of ['order', 'refund'] as const) {
      const type = kind === 'order' ? 'order_completed' : 'order_refunded';
      for (const call of calls.filter((c) => c.kind === kind)) {
        const events = exported.events.filter(
          (event) => event.type === type && orderIdOf(event) === call.subject,
        );
        if (events.length !== 1)
          stored.push(`${name}: ${kind} ${call.subject} stored ${events.length} times`);
      }
    }
    const orderItems = exported.orders.length;
    const orderCalls = calls.filter((c) => c.kind === 'order').length;
    if (orderItems !== orderCalls)
      stored.push(`${name}: ${orderCalls} orders accepted, ${orderItems} stored`);

    greetingsChecked += 1;
    /**
     * Copies of one kind of email, less a second copy that the known window explains:
     * the first was accepted by SES in the seconds before a kill, and its message was
     * claimed again (attempts ≥ 2), since `sent` was never written (docs/reliability.md).
     */
    const copies = (subjectStart: string, templateId: string): number => {
      const sent = emails
        .filter((email) => email.subject.startsWith(subjectStart))
        .sort((a, b) => a.at - b.at);
      const first = sent[0];
      const reclaimed = exported.messages.some(
        (item) => item.templateId === templateId && typeof item.attempts === 'number' && item.attempts >= 2,
      );
      const beforeKill =
        first !== undefined &&
        context.kills.some(
          (killedAt) => first.at >= Math.floor(killedAt / 1000) - 2 && first.at <= Math.ceil(killedAt / 1000),
        );
      if (sent.length === 2 && reclaimed && beforeKill) {
        crashWindow.push(`${name}: "${first?.subject}" twice, the first accepted just before a kill`);
        return 1;
      }
      return sent.length;
    };
    const confirmations = copies(subjects.confirmation, 'confirm');
    const welcomes = copies(subjects.welcome, 'welcome');
    const followUps = copies(subjects.followUp, 'chaos-follow-up');
    if (confirmations !== 1) greetings.push(`${name}: ${confirmations} confirmation emails`);
    if (welcomes !== (confirmed ? 1 : 0))
      greetings.push(`${name}: ${welcomes} welcome emails (confirmed: ${confirmed})`);
    if (confirmed && unsubscribed === undefined && followUps !== 1)
      greetings.push(`${name}: ${followUps} follow-up emails`);

    revenueChecked += 1;
    const expectedOrders = person.orders.filter((order) =>
      calls.some((c) => c.kind === 'order' && c.subject === order.orderId),
    );
    const expectedCents =
      expectedOrders.reduce((sum, order) => sum + cents(order.total), 0) -
      expectedOrders.reduce(
        (sum, order) =>
          sum +
          (calls.some((c) => c.kind === 'refund' && c.subject === order.orderId)
            ? cents(order.refund ?? 0)
            : 0),
        0,
      );
    const card = answer.contact.customer ?? { orders: 0, revenue: 0 };
    if (card.orders !== expectedOrders.length || cents(card.revenue) !== expectedCents)
      revenue.push(
        `${name}: card has ${card.orders} orders and ${card.revenue.toFixed(2)}, expected ${expectedOrders.length} and ${(expectedCents / 100).toFixed(2)}`,
      );

    if (unsubscribed !== undefined) {
      afterLeavingChecked += 1;
      const leftAtSecond = Math.ceil(unsubscribed.answeredAt / 1000);
      const late = emails.filter(
        (email) => email.at > leftAtSecond && !email.subject.startsWith(subjects.confirmation),
      );
      if (late.length > 0)
        afterLeaving.push(
          `${name}: ${late.map((email) => `"${email.subject}"`).join(', ')} after unsubscribing`,
        );
    }

    for (const enrollment of exported.enrollments) {
      enrollmentsChecked += 1;
      const waiting = enrollment.waiting;
      const dueAt =
        typeof waiting === 'object' &&
        waiting !== null &&
        'dueAt' in waiting &&
        typeof waiting.dueAt === 'string'
          ? Date.parse(waiting.dueAt)
          : undefined;
      if (enrollment.status === 'active' && dueAt !== undefined && dueAt < stuckAfter)
        stuck.push(`${name}: ${String(enrollment.journeyId)} waiting since ${new Date(dueAt).toISOString()}`);
    }
  }

  const letters = DeadLetters.parse(await getJson(`${context.apiUrl}/local/dead-letters`));
  const unexplained = letters
    .filter((letter) => (letter.reason ?? letter.error ?? '').trim() === '')
    .map((letter) => `${letter.functionName}: no reason recorded`);

  return [
    row('every accepted call is stored exactly once', storedChecked, stored),
    row(
      'every confirmed contact got one confirmation, one welcome, one follow-up',
      greetingsChecked,
      greetings,
    ),
    row('every order counts once in revenue', revenueChecked, revenue),
    row('nobody who unsubscribed got a send after', afterLeavingChecked, afterLeaving),
    row('no enrollment stuck past its due time plus one tick', enrollmentsChecked, stuck),
    row(`every dead letter is explained (${letters.length} dead letters)`, letters.length, unexplained),
    {
      invariant: 'sent twice in the window a kill leaves (bounded, see docs/reliability.md)',
      checked: greetingsChecked,
      violations: 0,
      bounded: crashWindow.length,
      examples: crashWindow.slice(0, 5),
    },
  ];
};
