import { describe, expect, it } from 'vitest';
import type { Contact } from '../../../lib/domain/contact.js';
import type { ContactEvent } from '../../../lib/domain/contact-event.js';
import { JourneyDefinition } from '../../../lib/domain/journey-definition.js';
import {
  entryItems,
  journeyMessageKey,
  maxActionsPerAdvance,
  stepJourney,
} from '../../../lib/domain/journey-engine.js';
import { aContact, anEvent, now, publish, step, timerFired, tryStep } from './support/journeys.js';

const welcome = publish(
  {
    id: 'welcome',
    name: 'Welcome',
    trigger: { event: 'signup_confirmed' },
    start: 'hello',
    nodes: [
      { id: 'hello', type: 'send_email', template: 'welcome', next: 'tips' },
      { id: 'tips', type: 'send_email', template: 'tips', topic: 'newsletter', next: 'done' },
      { id: 'done', type: 'exit' },
    ],
  },
  3,
);

describe('the journey engine', () => {
  describe('when a contact enters on its trigger', () => {
    const result = step(welcome, undefined, anEvent());

    it('records the version it entered and ends at the exit node', () => {
      expect(result.enrollment).toMatchObject({
        id: '01JEVENT',
        journeyId: 'welcome',
        journeyVersion: 3,
        status: 'exited',
        exitReason: 'reached an exit node',
        visits: { hello: 1, tips: 1, done: 1 },
        version: 1,
      });
    });

    it('asks for each email in order, with its topic', () => {
      expect(result.actions).toEqual([
        { type: 'send_email', nodeId: 'hello', visit: 1, template: 'welcome' },
        { type: 'send_email', nodeId: 'tips', visit: 1, template: 'tips', topic: 'newsletter' },
      ]);
    });
  });

  it('is deterministic: the same input gives the same output and the same message keys', () => {
    const first = step(welcome, undefined, anEvent());
    const second = step(welcome, undefined, anEvent());
    expect(second).toEqual(first);
    const keys = second.actions.flatMap((a) =>
      a.type === 'send_email' ? [journeyMessageKey(second.enrollment, a)] : [],
    );
    expect(keys).toEqual(['welcome#01JEVENT#hello#1', 'welcome#01JEVENT#tips#1']);
  });

  it('ignores events that are not its trigger', () => {
    expect(tryStep(welcome, undefined, anEvent({ type: 'unsubscribed' }), now, aContact())).toBeUndefined();
  });

  it('lets no one enter a paused journey', () => {
    expect(tryStep({ ...welcome, status: 'paused' }, undefined, anEvent())).toBeUndefined();
  });

  describe('when the trigger or entry has a condition', () => {
    const picky = publish({
      ...welcome.definition,
      trigger: { event: 'signup_confirmed', condition: { 'event.data.topics': 'newsletter' } },
      entry: { reentry: 'never', condition: { 'contact.consent.email.status': 'subscribed' } },
    });
    const attempt = (event: ContactEvent, contact: Contact) => tryStep(picky, undefined, event, now, contact);

    it('enters when both hold', () => {
      expect(attempt(anEvent({ data: { topics: ['newsletter'] } }), aContact())).toBeDefined();
    });

    it('does not enter when the trigger condition fails', () => {
      expect(attempt(anEvent({ data: { topics: ['recommendations'] } }), aContact())).toBeUndefined();
    });

    it('does not enter when the entry condition fails', () => {
      const pending = aContact({
        consent: { ...aContact().consent, email: { status: 'pending', changedAt: now.toISOString() } },
      });
      expect(attempt(anEvent({ data: { topics: ['newsletter'] } }), pending)).toBeUndefined();
    });
  });
});

describe('waits', () => {
  const journey = publish({
    id: 'nudge',
    name: 'Nudge',
    trigger: { event: 'signup_confirmed' },
    start: 'pause',
    nodes: [
      { id: 'pause', type: 'wait', duration: 'P3D', next: 'hello' },
      { id: 'hello', type: 'send_email', template: 'welcome' },
    ],
  });

  it('sets a timer for the end of the wait and sends nothing yet', () => {
    const entered = step(journey, undefined, anEvent());
    expect(entered.enrollment).toMatchObject({
      status: 'active',
      currentNode: 'pause',
      waiting: { kind: 'timer', nodeId: 'pause', dueAt: '2026-11-26T10:00:00.000Z' },
    });
    expect(entered.actions).toEqual([
      {
        type: 'set_timer',
        timer: {
          id: 'nudge#01JEVENT#pause#1',
          contactId: 'c1',
          dueAt: '2026-11-26T10:00:00.000Z',
          journeyId: 'nudge',
          enrollmentId: '01JEVENT',
          nodeId: 'pause',
          visit: 1,
        },
      },
    ]);
  });

  it('moves on when its timer fires, and the same timer firing again changes nothing', () => {
    const entered = step(journey, undefined, anEvent());
    const fired = timerFired(entered);
    const resumed = step(journey, entered.enrollment, fired, new Date('2026-11-26T10:00:30Z'));
    expect(resumed.enrollment).toMatchObject({ status: 'completed', version: 2 });
    expect(resumed.actions).toEqual([{ type: 'send_email', nodeId: 'hello', visit: 1, template: 'welcome' }]);
    expect(
      tryStep(journey, resumed.enrollment, fired, new Date('2026-11-26T10:01:00Z'), aContact()),
    ).toBeUndefined();
  });

  it("ignores another enrollment's timer", () => {
    const entered = step(journey, undefined, anEvent());
    const other = step(journey, undefined, anEvent({ id: '01JOTHER' }));
    expect(tryStep(journey, entered.enrollment, timerFired(other), now, aContact())).toBeUndefined();
  });

  describe('until a date in the contact’s time zone', () => {
    const reminder = publish({
      id: 'reminder',
      name: 'Replacement reminder',
      trigger: { event: 'signup_confirmed' },
      start: 'before-due',
      nodes: [
        {
          id: 'before-due',
          type: 'wait',
          until: { date: 'event.data.replacementDueAt', offset: '-P30D', at: '09:00' },
          next: 'remind',
        },
        { id: 'remind', type: 'send_email', template: 'reminder' },
      ],
    });

    it('waits until 09:00 local time 30 days before the date, years ahead', () => {
      const entered = step(
        reminder,
        undefined,
        anEvent({ data: { replacementDueAt: '2030-11-20T15:00:00Z' } }),
        now,
        aContact({ timeZone: 'America/New_York' }),
      );
      // 21 October 2030 is in daylight saving time in New York: 09:00 EDT is 13:00 UTC.
      expect(entered.enrollment.waiting).toMatchObject({ dueAt: '2030-10-21T13:00:00.000Z' });
    });

    it('exits with a reason when the date is missing', () => {
      const entered = step(reminder, undefined, anEvent({ data: {} }));
      expect(entered.enrollment).toMatchObject({
        status: 'exited',
        exitReason: expect.stringContaining('replacementDueAt'),
      });
    });
  });

  describe('until a time of day on allowed weekdays', () => {
    const weekdayMorning = publish({
      id: 'weekday',
      name: 'Weekday mornings',
      trigger: { event: 'signup_confirmed' },
      start: 'morning',
      nodes: [
        {
          id: 'morning',
          type: 'wait',
          until: { at: '09:00', weekdays: ['mon', 'tue', 'wed', 'thu', 'fri'] },
          next: 'hello',
        },
        { id: 'hello', type: 'send_email', template: 'welcome' },
      ],
    });

    it('picks the next weekday morning in the contact’s zone', () => {
      // Saturday 2026-11-28 12:00 in Berlin → Monday 30 November 09:00 CET (08:00 UTC).
      const entered = step(
        weekdayMorning,
        undefined,
        anEvent(),
        new Date('2026-11-28T11:00:00Z'),
        aContact({ timeZone: 'Europe/Berlin' }),
      );
      expect(entered.enrollment.waiting).toMatchObject({ dueAt: '2026-11-30T08:00:00.000Z' });
    });
  });
});

describe('waiting for an event', () => {
  const journey = publish({
    id: 'follow-up',
    name: 'Follow up',
    trigger: { event: 'signup_confirmed' },
    start: 'listen',
    nodes: [
      {
        id: 'listen',
        type: 'wait_for_event',
        event: 'topics_changed',
        condition: { 'event.data.topics': 'recommendations' },
        timeout: 'P14D',
        next: 'thanks',
        timeout_next: 'nudge',
      },
      { id: 'thanks', type: 'send_email', template: 'thanks' },
      { id: 'nudge', type: 'send_email', template: 'nudge' },
    ],
  });

  it('takes the event branch when a matching event arrives in time', () => {
    const entered = step(journey, undefined, anEvent());
    const arrived = step(
      journey,
      entered.enrollment,
      anEvent({ id: 'e2', type: 'topics_changed', data: { topics: ['recommendations'] } }),
    );
    expect(arrived.actions).toEqual([{ type: 'send_email', nodeId: 'thanks', visit: 1, template: 'thanks' }]);
  });

  it('ignores an event that does not match its condition', () => {
    const entered = step(journey, undefined, anEvent());
    expect(
      tryStep(
        journey,
        entered.enrollment,
        anEvent({ id: 'e2', type: 'topics_changed', data: { topics: ['newsletter'] } }),
      ),
    ).toBeUndefined();
  });

  it('takes the timeout branch when its timer fires first, and ignores the timer after the event came', () => {
    const entered = step(journey, undefined, anEvent());
    const timedOut = step(journey, entered.enrollment, timerFired(entered), new Date('2026-12-07T10:00:00Z'));
    expect(timedOut.actions).toEqual([{ type: 'send_email', nodeId: 'nudge', visit: 1, template: 'nudge' }]);

    const arrived = step(
      journey,
      entered.enrollment,
      anEvent({ id: 'e2', type: 'topics_changed', data: { topics: ['recommendations'] } }),
    );
    expect(
      tryStep(journey, arrived.enrollment, timerFired(entered), new Date('2026-12-07T10:00:00Z'), aContact()),
    ).toBeUndefined();
  });
});

describe('branches and splits', () => {
  it('takes the first branch whose condition holds, else the else', () => {
    const journey = publish({
      id: 'by-topic',
      name: 'By topic',
      trigger: { event: 'signup_confirmed' },
      start: 'which',
      nodes: [
        {
          id: 'which',
          type: 'branch',
          branches: [
            { condition: { 'contact.topics': 'recommendations' }, next: 'books' },
            { condition: { 'contact.topics': 'newsletter' }, next: 'news' },
          ],
          else: 'plain',
        },
        { id: 'books', type: 'send_email', template: 'books' },
        { id: 'news', type: 'send_email', template: 'news' },
        { id: 'plain', type: 'send_email', template: 'plain' },
      ],
    });
    const template = (topics: string[]) =>
      step(journey, undefined, anEvent(), now, aContact({ topics })).actions.map((a) =>
        a.type === 'send_email' ? a.template : '',
      );
    expect(template(['newsletter', 'recommendations'])).toEqual(['books']);
    expect(template(['newsletter'])).toEqual(['news']);
    expect(template([])).toEqual(['plain']);
  });

  it('sends a contact down the same split path every time', () => {
    const journey = publish({
      id: 'ab',
      name: 'A/B',
      trigger: { event: 'signup_confirmed' },
      start: 'split',
      nodes: [
        {
          id: 'split',
          type: 'split',
          paths: [
            { weight: 1, next: 'a' },
            { weight: 1, next: 'b' },
          ],
        },
        { id: 'a', type: 'send_email', template: 'a' },
        { id: 'b', type: 'send_email', template: 'b' },
      ],
    });
    const path = (contactId: string) =>
      step(journey, undefined, anEvent({ contactId }), now, aContact({ id: contactId })).actions[0];
    for (const id of ['c1', 'c2', 'c3', 'c4']) expect(path(id)).toEqual(path(id));
  });
});

describe('holdout, goal and exit rules', () => {
  const journey = publish({
    id: 'measured',
    name: 'Measured',
    trigger: { event: 'signup_confirmed' },
    holdout: 50,
    goal: { event: 'topics_changed', within: 'P7D' },
    exit_when: [{ event: 'unsubscribed' }],
    start: 'pause',
    nodes: [
      { id: 'pause', type: 'wait', duration: 'P1D', next: 'hello' },
      { id: 'hello', type: 'send_email', template: 'welcome' },
    ],
  });
  const contacts = Array.from({ length: 40 }, (_, i) => aContact({ id: `holdout-${i}` }));
  const enter = (contact: Contact) =>
    step(journey, undefined, anEvent({ contactId: contact.id }), now, contact);

  it('puts some contacts in a control group that walks the path but is sent nothing', () => {
    const groups = contacts.map((contact) => {
      const entered = enter(contact);
      const resumed = step(
        journey,
        entered.enrollment,
        timerFired(entered),
        new Date('2026-11-24T10:00:00Z'),
        contact,
      );
      return {
        group: entered.enrollment.group,
        sent: resumed.actions.length,
        status: resumed.enrollment.status,
      };
    });
    expect(groups.filter((g) => g.group === 'control').length).toBeGreaterThan(5);
    expect(groups.filter((g) => g.group === 'treatment').length).toBeGreaterThan(5);
    for (const g of groups) {
      expect(g.status).toBe('completed');
      expect(g.sent).toBe(g.group === 'control' ? 0 : 1);
    }
  });

  it('records the goal within its window, for control and treatment alike', () => {
    for (const contact of contacts.slice(0, 6)) {
      const entered = enter(contact);
      const converted = step(
        journey,
        entered.enrollment,
        anEvent({ id: 'g', contactId: contact.id, type: 'topics_changed' }),
        new Date('2026-11-25T10:00:00Z'),
        contact,
      );
      expect(converted.enrollment).toMatchObject({
        status: 'active',
        goalReachedAt: '2026-11-25T10:00:00.000Z',
        version: 2,
      });
    }
  });

  it('does not count a goal reached after its window', () => {
    const contact = contacts[0] ?? aContact();
    const entered = enter(contact);
    expect(
      tryStep(
        journey,
        entered.enrollment,
        anEvent({ id: 'late', contactId: contact.id, type: 'topics_changed' }),
        new Date('2026-12-10T10:00:00Z'),
        contact,
      ),
    ).toBeUndefined();
  });

  it('ends the enrollment wherever it is when an exit event arrives', () => {
    const entered = enter(aContact());
    const left = step(journey, entered.enrollment, anEvent({ id: 'u', type: 'unsubscribed' }));
    expect(left.enrollment).toMatchObject({
      status: 'exited',
      exitReason: 'exit_when unsubscribed',
      version: 2,
    });
    expect(left.enrollment.waiting).toBeUndefined();
    expect(left.actions).toEqual([]);
  });
});

describe('when the goal is reached after the enrollment finished', () => {
  // One send, then done: the purchase it is for comes days later.
  const oneSend = publish({
    id: 'one-send',
    name: 'One send',
    trigger: { event: 'signup_confirmed' },
    holdout: 50,
    goal: { event: 'order_completed', condition: { 'event.data.revenue': { $gt: 0 } }, within: 'P30D' },
    start: 'hello',
    nodes: [{ id: 'hello', type: 'send_email', template: 'welcome' }],
  });
  const order = (id: string, contactId = 'c1') =>
    anEvent({ id, contactId, type: 'order_completed', data: { revenue: 25 } });
  const entered = step(oneSend, undefined, anEvent());
  const weekLater = new Date('2026-11-30T10:00:00Z');

  it('records it within the window, and nothing else: no actions, the enrollment stays finished', () => {
    expect(entered.enrollment.status).toBe('completed');
    const converted = step(oneSend, entered.enrollment, order('o-1'), weekLater);
    expect(converted).toEqual({
      enrollment: {
        ...entered.enrollment,
        goalReachedAt: '2026-11-30T10:00:00.000Z',
        updatedAt: '2026-11-30T10:00:00.000Z',
        version: entered.enrollment.version + 1,
      },
      actions: [],
    });
  });

  it('counts only the first conversion of an enrollment', () => {
    const converted = step(oneSend, entered.enrollment, order('o-1'), weekLater);
    expect(tryStep(oneSend, converted.enrollment, order('o-2'), weekLater)).toBeUndefined();
  });

  it('closes the window at entry + within, whatever happened in between', () => {
    const closes = new Date('2026-12-23T10:00:00Z');
    expect(step(oneSend, entered.enrollment, order('o-last'), closes).enrollment.goalReachedAt).toBe(
      closes.toISOString(),
    );
    const after = new Date(closes.getTime() + 1_000);
    expect(tryStep(oneSend, entered.enrollment, order('o-late'), after)).toBeUndefined();
  });

  it('converts the control group the same way, though it was sent nothing', () => {
    const contacts = Array.from({ length: 20 }, (_, i) => aContact({ id: `late-${i}` }));
    const control = contacts.flatMap((contact) => {
      const start = step(oneSend, undefined, anEvent({ contactId: contact.id }), now, contact);
      return start.enrollment.group === 'control' ? [{ contact, start }] : [];
    });
    expect(control.length).toBeGreaterThan(0);
    for (const { contact, start } of control) {
      expect(start.actions).toEqual([]);
      const converted = step(oneSend, start.enrollment, order('o-c', contact.id), weekLater, contact);
      expect(converted.enrollment).toMatchObject({
        group: 'control',
        goalReachedAt: weekLater.toISOString(),
      });
    }
  });

  it('ignores events the goal does not name or whose condition fails', () => {
    const refund = anEvent({ id: 'r-1', type: 'order_refunded', data: { revenue: 25 } });
    expect(tryStep(oneSend, entered.enrollment, refund, weekLater)).toBeUndefined();
    const free = anEvent({ id: 'o-0', type: 'order_completed', data: { revenue: 0 } });
    expect(tryStep(oneSend, entered.enrollment, free, weekLater)).toBeUndefined();
  });

  it('is not converted by the event that started it, redelivered', () => {
    const onOrder = publish({
      ...oneSend.definition,
      id: 'thanks',
      trigger: { event: 'order_completed' },
      holdout: 0,
    });
    const first = step(onOrder, undefined, order('o-first'));
    expect(first.enrollment.status).toBe('completed');
    expect(tryStep(onOrder, first.enrollment, order('o-first'), weekLater)).toBeUndefined();
    expect(
      step(onOrder, first.enrollment, order('o-next'), weekLater).enrollment.goalReachedAt,
    ).toBeDefined();
  });

  it('goes on measuring a paused or archived journey', () => {
    for (const status of ['paused', 'archived'] as const) {
      const converted = step({ ...oneSend, status }, entered.enrollment, order('o-1'), weekLater);
      expect(converted.enrollment).toMatchObject({
        status: 'completed',
        goalReachedAt: weekLater.toISOString(),
      });
    }
  });
});

describe('journey definition validation', () => {
  const base = welcome.definition;
  const problems = (raw: unknown) => {
    const result = JourneyDefinition.safeParse(raw);
    return result.success
      ? []
      : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  };

  it('names an unknown next node by its path', () => {
    expect(
      problems({
        ...base,
        start: 'hello',
        nodes: [{ id: 'hello', type: 'send_email', template: 'welcome', next: 'nowhere' }],
      }),
    ).toContain('nodes.0.next: unknown node "nowhere"');
  });

  it('names an unknown start node', () => {
    expect(problems({ ...base, start: 'missing' })).toContain('start: unknown node "missing"');
  });

  it('names a node that cannot be reached', () => {
    expect(problems({ ...base, nodes: [...base.nodes, { id: 'orphan', type: 'exit' }] })).toContain(
      'nodes.3: node "orphan" cannot be reached from the start',
    );
  });

  it('rejects a loop with no wait in it', () => {
    expect(
      problems({
        ...base,
        start: 'a',
        nodes: [
          { id: 'a', type: 'send_email', template: 'welcome', next: 'b' },
          { id: 'b', type: 'send_email', template: 'welcome', next: 'a' },
        ],
      }),
    ).toContain('nodes: the nodes a → b → a form a loop with no wait');
  });

  it('accepts a loop through a wait', () => {
    expect(
      problems({
        ...base,
        start: 'a',
        nodes: [
          { id: 'a', type: 'send_email', template: 'welcome', next: 'b' },
          { id: 'b', type: 'wait', duration: 'P14D', next: 'a' },
        ],
      }),
    ).toEqual([]);
  });

  it('rejects duplicate node ids', () => {
    expect(problems({ ...base, nodes: [...base.nodes, { id: 'done', type: 'exit' }] })).toContain(
      'nodes.3.id: duplicate node id "done"',
    );
  });

  it('rejects an unknown condition operator, and $where, where they are written', () => {
    expect(
      problems({
        ...base,
        trigger: { event: 'signup_confirmed', condition: { 'contact.age': { $older: 3 } } },
      }).join(),
    ).toContain('trigger.condition: invalid condition');
    expect(
      problems({ ...base, trigger: { event: 'signup_confirmed', condition: { $where: 'true' } } }).join(),
    ).toContain('trigger.condition: invalid condition');
  });

  it('rejects a wait with both or neither of duration and until, and bad durations', () => {
    const wait = (node: Record<string, unknown>) =>
      problems({
        ...base,
        start: 'w',
        nodes: [
          { id: 'w', type: 'wait', next: 'done', ...node },
          { id: 'done', type: 'exit' },
        ],
      });
    expect(wait({}).join()).toContain('exactly one of duration or until');
    expect(wait({ duration: 'P1D', until: { at: '09:00' } }).join()).toContain(
      'exactly one of duration or until',
    );
    expect(wait({ duration: 'three days' }).join()).toContain('ISO 8601 duration');
    expect(wait({ until: { at: '25:00' } }).join()).toContain('time of day');
  });

  it('rejects an unknown node type', () => {
    expect(problems({ ...base, nodes: [{ id: 'x', type: 'teleport' }] }).join()).toContain('nodes.0');
  });
});

describe('text messages', () => {
  const journey = publish({
    id: 'texts',
    name: 'Texts',
    trigger: { event: 'signup_confirmed' },
    start: 'text',
    nodes: [{ id: 'text', type: 'send_sms', body: 'Hi {{ contact.name }}!' }],
  });

  it('asks for the SMS with its body, keyed like any message', () => {
    const result = step(journey, undefined, anEvent());
    expect(result.actions).toEqual([
      { type: 'send_sms', nodeId: 'text', visit: 1, body: 'Hi {{ contact.name }}!' },
    ]);
    expect(journeyMessageKey(result.enrollment, { nodeId: 'text', visit: 1 })).toBe('texts#01JEVENT#text#1');
  });
});

describe('when the journey is archived', () => {
  const journey = publish({
    id: 'archived',
    name: 'Archived',
    trigger: { event: 'signup_confirmed' },
    start: 'pause',
    nodes: [
      { id: 'pause', type: 'wait', duration: 'P3D', next: 'hello' },
      { id: 'hello', type: 'send_email', template: 'welcome' },
    ],
  });

  it('ends a running enrollment at its next event, sending nothing', () => {
    const entered = step(journey, undefined, anEvent());
    const ended = step({ ...journey, status: 'archived' }, entered.enrollment, timerFired(entered));
    expect(ended.enrollment).toMatchObject({ status: 'exited', exitReason: 'journey archived', version: 2 });
    expect(ended.actions).toEqual([]);
  });

  it('lets a paused journey’s enrollments carry on', () => {
    const entered = step(journey, undefined, anEvent());
    const resumed = step({ ...journey, status: 'paused' }, entered.enrollment, timerFired(entered));
    expect(resumed.actions).toEqual([{ type: 'send_email', nodeId: 'hello', visit: 1, template: 'welcome' }]);
  });
});

describe('when a trigger fans out over a list in the event', () => {
  const perProduct = publish({
    id: 'per-product',
    name: 'Per product',
    trigger: {
      event: 'order_completed',
      for_each: { items: 'event.data.products', condition: { 'item.replacementDueAt': { $exists: true } } },
    },
    entry: { reentry: 'always', concurrent: true },
    exit_when: [
      {
        event: 'order_completed',
        condition: { 'event.data.products.category': { $ref: 'enrollment.trigger.item.category' } },
      },
    ],
    start: 'until-due',
    nodes: [
      {
        id: 'until-due',
        type: 'wait',
        until: { date: 'enrollment.trigger.item.replacementDueAt', offset: '-P30D', at: '09:00' },
        next: 'remind',
      },
      { id: 'remind', type: 'send_email', template: 'replacement-reminder' },
    ],
  });
  const products = [
    { sku: 'COPIER', category: 'copiers', replacementDueAt: '2030-01-10' },
    { sku: 'PAPER', category: 'paper' },
    { sku: 'FILTER', category: 'filters', replacementDueAt: '2027-07-10' },
  ];
  const basket = anEvent({ id: 'order-9', type: 'order_completed', data: { products } });
  const enterFor = (index: number) =>
    stepJourney({
      journey: perProduct,
      enrollment: undefined,
      item: { index, value: products[index] },
      contact: aContact(),
      trigger: { type: 'event', event: basket },
      now,
      defaultTimeZone: 'UTC',
    });

  it('offers one entry per element, and starts one only for elements that match the condition', () => {
    expect(entryItems(perProduct, basket).map((item) => item?.index)).toEqual([0, 1, 2]);
    expect(enterFor(1)).toBeUndefined();
    expect(enterFor(0)?.enrollment).toMatchObject({
      id: 'order-9.0',
      triggerEventId: 'order-9',
      trigger: { type: 'order_completed', item: { sku: 'COPIER' }, itemIndex: 0 },
      waiting: { kind: 'timer', dueAt: '2029-12-11T09:00:00.000Z' },
    });
    expect(enterFor(2)?.enrollment.waiting).toMatchObject({ dueAt: '2027-06-10T09:00:00.000Z' });
  });

  it('starts nothing for the plain entry, and a plain trigger nothing for an element', () => {
    expect(tryStep(perProduct, undefined, basket)).toBeUndefined();
    const plain = publish({
      id: 'plain',
      name: 'Plain',
      trigger: { event: 'order_completed' },
      start: 'done',
      nodes: [{ id: 'done', type: 'exit' }],
    });
    expect(entryItems(plain, basket)).toEqual([undefined]);
  });

  it('ends only the enrollment whose element a later order matches', () => {
    const filter = enterFor(2)?.enrollment;
    const copier = enterFor(0)?.enrollment;
    if (filter === undefined || copier === undefined) throw new Error('not entered');
    const reorder = anEvent({
      id: 'order-10',
      type: 'order_completed',
      data: { products: [{ sku: 'FILTER', category: 'filters' }] },
    });
    expect(step(perProduct, filter, reorder).enrollment).toMatchObject({ status: 'exited' });
    expect(tryStep(perProduct, copier, reorder)).toBeUndefined();
  });

  it('offers nothing when the list is missing', () => {
    expect(entryItems(perProduct, anEvent({ type: 'order_completed', data: {} }))).toEqual([]);
  });
});

describe('when a step asks for more than one transaction can store', () => {
  const burst = (emits: number) =>
    publish(
      {
        id: 'burst',
        name: 'Burst',
        trigger: { event: 'signup_confirmed' },
        start: 'e1',
        nodes: Array.from({ length: emits }, (_, index) => ({
          id: `e${index + 1}`,
          type: 'emit_event',
          detail_type: 'Burst',
          ...(index + 1 < emits ? { next: `e${index + 2}` } : {}),
        })),
      },
      1,
    );

  it(`fails the step past ${maxActionsPerAdvance} actions, so the journey fails alone instead of the record forever`, () => {
    expect(() => step(burst(maxActionsPerAdvance + 1), undefined, anEvent())).toThrow(
      `more than ${maxActionsPerAdvance} sends, events and updates without waiting`,
    );
  });

  it(`runs a step of exactly ${maxActionsPerAdvance}`, () => {
    expect(step(burst(maxActionsPerAdvance), undefined, anEvent()).actions).toHaveLength(
      maxActionsPerAdvance,
    );
  });
});
