import type { MemoryWorld } from '../adapters/memory/memory-world.js';
import type { JourneyOutcome } from '../app/advance-journeys.js';
import type { DeliveryOutcome } from '../app/deliver-message.js';
import type { Contact } from '../domain/contact.js';
import type { ContactEvent } from '../domain/contact-event.js';
import type { Enrollment } from '../domain/enrollment.js';
import { type PublishedJourney, triggerEventType } from '../domain/journey-definition.js';
import { entryItems, noEntryReason } from '../domain/journey-engine.js';
import type { Message } from '../domain/message.js';
import { own } from '../domain/own-property.js';
import type { NotEnteredReason, SendDetails, SimulationResult, TimelineEntry } from '../domain/simulate.js';

const notStarted: Partial<Record<JourneyOutcome['outcome'], NotEnteredReason>> = {
  'already-entered': 'already-entered',
  'cooling-down': 'cooling-down',
  'already-active': 'already-active',
  'already-started': 'already-started',
};

/** Within one moment, the order in which one step's lines happen. */
const rank: Record<TimelineEntry['kind'], number> = {
  'not-entered': 0,
  entered: 0,
  updated: 1,
  emitted: 2,
  sent: 2,
  skipped: 2,
  deferred: 2,
  failed: 2,
  waiting: 3,
  goal: 4,
  exited: 5,
  completed: 5,
};

/**
 * Reads what the real use cases did in the simulated deployment into timeline
 * lines: entries from the journeys function's outcomes (and, for an event that
 * started nothing, the engine's reason), waits, goals and ends from the
 * enrollments as stored after each step, sends from deliver's outcomes with what
 * the mailer or texter received, and the events the bus received.
 */
export class TimelineRecorder {
  private readonly entries: Array<{ entry: TimelineEntry; lane: string; order: number }> = [];
  private readonly enrollments = new Map<string, Enrollment>();

  constructor(
    private readonly world: MemoryWorld,
    private readonly journey: PublishedJourney,
    private readonly defaultTimeZone: string,
  ) {}

  get length(): number {
    return this.entries.length;
  }

  /**
   * A lane is what a line is about: an enrollment, or an entry the event offered.
   * Within one moment, lanes keep the order in which they first had something to
   * say (the journeys function ends running enrollments before it starts new ones,
   * and takes a list's elements in order), and a lane's lines keep the order of a
   * step: entered, the send, then the wait.
   */
  private push(entry: TimelineEntry, lane?: string): void {
    const byEnrollment = 'enrollmentId' in entry ? entry.enrollmentId : undefined;
    this.entries.push({
      entry,
      lane: lane ?? byEnrollment ?? `line-${this.entries.length}`,
      order: this.entries.length,
    });
  }

  private now(): string {
    return this.world.clock.now().toISOString();
  }

  async afterEvent(event: ContactEvent, outcomes: readonly JourneyOutcome[]): Promise<void> {
    const at = this.now();
    const definition = this.journey.definition;
    const mine = outcomes.filter((outcome) => outcome.journeyId === definition.id);
    for (const outcome of mine) {
      if (outcome.outcome === 'failed') {
        this.push({
          at,
          kind: 'failed',
          ...(outcome.enrollmentId === undefined ? {} : { enrollmentId: outcome.enrollmentId }),
          reason: outcome.error,
        });
      }
    }
    if (event.type === 'contact_updated' && own(event.data, 'journeyId') === definition.id) {
      const changed = own(event.data, 'changed');
      this.push({
        at,
        kind: 'updated',
        enrollmentId: String(own(event.data, 'enrollmentId') ?? ''),
        node: String(own(event.data, 'nodeId') ?? ''),
        changed: Array.isArray(changed) ? changed.map(String) : [],
      });
    }
    const stored = (await this.world.enrollments.listForContact(event.contactId)).filter(
      (enrollment) => enrollment.journeyId === definition.id,
    );
    // Running enrollments first: the journeys function ends or moves them before it starts any.
    for (const enrollment of stored.filter((candidate) => this.enrollments.has(candidate.id))) {
      this.observe(enrollment, at);
    }
    if (event.type === triggerEventType(definition.trigger)) {
      await this.observeEntries(event, mine, stored, at);
    }
    for (const enrollment of stored.filter((candidate) => !this.enrollments.has(candidate.id))) {
      this.observe(enrollment, at);
    }
  }

  /** An event whose id was stored before: the table keeps the first, so the replay starts nothing. */
  replayed(event: ContactEvent): void {
    if (event.type !== triggerEventType(this.journey.definition.trigger)) return;
    this.push({ at: this.now(), kind: 'not-entered', eventId: event.id, reason: 'already-started' });
  }

  /** Each entry the trigger event offered, in order: the enrollment it started, or why it started none. */
  private async observeEntries(
    event: ContactEvent,
    outcomes: readonly JourneyOutcome[],
    stored: readonly Enrollment[],
    at: string,
  ): Promise<void> {
    const contact = await this.world.contacts.get(event.contactId);
    if (contact === undefined) return;
    const items = entryItems(this.journey, event);
    if (items.length === 0) {
      this.push({ at, kind: 'not-entered', eventId: event.id, reason: 'no-items' });
      return;
    }
    for (const item of items) {
      const enrollmentId = item === undefined ? event.id : `${event.id}.${item.index}`;
      const lane = `entry-${enrollmentId}`;
      const started = stored.find((enrollment) => enrollment.id === enrollmentId);
      if (started !== undefined && !this.enrollments.has(started.id)) {
        this.observe(started, at);
        continue;
      }
      const outcome = outcomes.find((candidate) => candidate.enrollmentId === enrollmentId);
      const refused = outcome === undefined ? undefined : notStarted[outcome.outcome];
      if (refused !== undefined) {
        this.push({ at, kind: 'not-entered', eventId: event.id, reason: refused }, lane);
        continue;
      }
      if (outcome !== undefined) continue;
      const reason = noEntryReason({
        journey: this.journey,
        enrollment: undefined,
        ...(item === undefined ? {} : { item }),
        contact,
        trigger: { type: 'event', event },
        now: this.world.clock.now(),
        defaultTimeZone: this.defaultTimeZone,
      });
      if (reason !== undefined && reason !== 'not-startable') {
        this.push({ at, kind: 'not-entered', eventId: event.id, reason }, lane);
      }
    }
  }

  private readonly sendNodes = new Map<string, { channel: 'email' | 'sms'; template: string }>();

  /** What changed in one enrollment since it was last seen: entry, spared sends, a wait, the goal, its end. */
  private observe(after: Enrollment, at: string): void {
    const definition = this.journey.definition;
    if (this.sendNodes.size === 0) {
      for (const node of definition.nodes) {
        if (node.type === 'send_email')
          this.sendNodes.set(node.id, { channel: 'email', template: node.template });
        if (node.type === 'send_sms') this.sendNodes.set(node.id, { channel: 'sms', template: node.id });
      }
    }
    const before = this.enrollments.get(after.id);
    this.enrollments.set(after.id, after);
    if (before?.version === after.version) return;
    if (before === undefined) this.push({ at, kind: 'entered', enrollmentId: after.id, group: after.group });
    if (after.group === 'control') {
      // The control group walks the journey but queues nothing: its sends show as spared.
      for (const [nodeId, node] of this.sendNodes) {
        if ((own(after.visits, nodeId) ?? 0) > (own(before?.visits ?? {}, nodeId) ?? 0)) {
          this.push({
            at,
            kind: 'skipped',
            reason: 'control-group',
            enrollmentId: after.id,
            node: nodeId,
            ...node,
          });
        }
      }
    }
    const waiting = after.waiting;
    if (waiting !== undefined && waiting.timerId !== before?.waiting?.timerId) {
      const node = definition.nodes.find((candidate) => candidate.id === waiting.nodeId);
      this.push({
        at,
        kind: 'waiting',
        enrollmentId: after.id,
        node: waiting.nodeId,
        until: waiting.kind === 'timer' ? waiting.dueAt : waiting.timeoutAt,
        ...(node?.type === 'wait_for_event' ? { event: node.event } : {}),
      });
    }
    if (after.goalReachedAt !== undefined && before?.goalReachedAt === undefined) {
      this.push({ at, kind: 'goal', enrollmentId: after.id });
    }
    if (after.status !== before?.status) {
      if (after.status === 'exited') {
        this.push({ at, kind: 'exited', enrollmentId: after.id, reason: after.exitReason ?? 'exited' });
      } else if (after.status === 'completed') {
        this.push({ at, kind: 'completed', enrollmentId: after.id });
      }
    }
  }

  private async observeContact(contactId: string, at: string): Promise<void> {
    for (const enrollment of await this.world.enrollments.listForContact(contactId)) {
      if (enrollment.journeyId === this.journey.definition.id) this.observe(enrollment, at);
    }
  }

  async afterDelivery(message: Message, outcome: DeliveryOutcome): Promise<void> {
    if (message.journeyId !== this.journey.definition.id || message.enrollmentId === undefined) return;
    const at = this.now();
    const details: SendDetails = {
      enrollmentId: message.enrollmentId,
      node: message.nodeId ?? '',
      channel: message.channel,
      template: message.templateId,
      ...(message.context === undefined ? {} : { context: message.context }),
    };
    switch (outcome.outcome) {
      case 'sent':
        this.push({ at, kind: 'sent', ...details, ...this.received(message) });
        break;
      case 'skipped':
        this.push({ at, kind: 'skipped', reason: outcome.reason, ...details });
        break;
      case 'deferred':
        this.push({ at, kind: 'deferred', until: outcome.until, reason: outcome.reason, ...details });
        break;
      case 'failed':
        this.push({
          at,
          kind: 'failed',
          enrollmentId: details.enrollmentId,
          node: details.node,
          reason: outcome.error,
        });
        break;
      case 'duplicate':
      case 'missing':
        break;
      default: {
        const unknownOutcome: never = outcome;
        throw new Error(`unknown delivery outcome ${JSON.stringify(unknownOutcome)}`);
      }
    }
    await this.observeContact(message.contactId, at);
  }

  /** What the recipient got: the subject of the email, the text of the SMS. */
  private received(message: Message): { subject?: string; text?: string } {
    if (message.channel === 'email') {
      const email = this.world.mailer
        .sent()
        .findLast((sent) => sent.email.tags?.['rapport-message'] === message.key);
      return email === undefined ? {} : { subject: email.email.subject };
    }
    const text = this.world.texter
      .sent()
      .findLast((sent) => sent.sms.tags?.['rapport-message'] === message.key);
    return text === undefined ? {} : { text: text.sms.body };
  }

  async afterPublish(ref: { contactId: string; id: string }): Promise<void> {
    const event = await this.world.outboundEvents.get(ref.contactId, ref.id);
    if (event === undefined || event.journeyId !== this.journey.definition.id) return;
    this.push({
      at: this.now(),
      kind: 'emitted',
      enrollmentId: event.enrollmentId,
      node: event.nodeId,
      detailType: event.detailType,
    });
  }

  result(contact: Contact | undefined): SimulationResult {
    if (contact === undefined) throw new Error('the simulated contact is gone');
    const laneOrder = new Map<string, number>();
    for (const { entry, lane, order } of this.entries) {
      const key = `${entry.at}|${lane}`;
      if (!laneOrder.has(key)) laneOrder.set(key, order);
    }
    const laneOf = (line: { entry: TimelineEntry; lane: string }) =>
      laneOrder.get(`${line.entry.at}|${line.lane}`) ?? 0;
    const timeline = [...this.entries]
      .sort(
        (a, b) =>
          Date.parse(a.entry.at) - Date.parse(b.entry.at) ||
          laneOf(a) - laneOf(b) ||
          rank[a.entry.kind] - rank[b.entry.kind] ||
          a.order - b.order,
      )
      .map(({ entry }) => entry);
    return { timeline, enrollments: [...this.enrollments.values()], contact };
  }
}
