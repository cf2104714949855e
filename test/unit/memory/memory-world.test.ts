import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { keys } from '../../../lib/adapters/dynamodb/keys.js';
import { MemoryWorld } from '../../../lib/adapters/memory/memory-world.js';
import { fireDueTimers } from '../../../lib/app/fire-due-timers.js';
import type { Timer } from '../../../lib/domain/timer.js';
import {
  aConsentEntry,
  aContact,
  aMessage,
  anEnrollment,
  anOutboundEvent,
  newId,
} from '../../support/builders.js';

const start = '2026-11-23T12:00:00.000Z';

const aTimer = (contactId: string, enrollmentId: string, dueAt: string): Timer => ({
  id: `welcome#${enrollmentId}#pause#1`,
  contactId,
  dueAt,
  journeyId: 'welcome',
  enrollmentId,
  nodeId: 'pause',
  visit: 1,
});

/** A contact with an enrollment whose first step wrote a message, a timer, an outbound event and an update. */
const aBusyWorld = async () => {
  const world = new MemoryWorld({ start });
  const contact = aContact();
  await world.contacts.create({ contact, consent: aConsentEntry(contact.id), messages: [] });
  const enrollment = anEnrollment(contact.id, { enteredAt: start, updatedAt: start });
  const message = aMessage(contact.id, { key: `welcome#${enrollment.id}#hello#1`, kind: 'marketing' });
  const timer = aTimer(contact.id, enrollment.id, '2026-11-24T12:00:00.000Z');
  const outbound = anOutboundEvent(contact.id, { enrollmentId: enrollment.id });
  const updated = {
    id: `upd-${newId()}`,
    contactId: contact.id,
    type: 'contact_updated' as const,
    at: start,
    data: { changed: ['tier'], attributes: { tier: 'vip' } },
  };
  await world.enrollments.start(
    enrollment,
    {
      messages: [message],
      timers: [timer],
      outboundEvents: [outbound],
      contactUpdate: {
        contactId: contact.id,
        expectedVersion: 1,
        attributes: { tier: 'vip' },
        updatedAt: start,
        events: [updated],
      },
    },
    { reentry: 'always', exclusive: false },
  );
  return { world, contact, enrollment, message, timer, outbound, updated };
};

describe('the memory world’s stream', () => {
  it('hands over what the stream functions get, in write order, once: events, messages, outbound events', async () => {
    const { world, contact, message, outbound, updated } = await aBusyWorld();

    const inserts = world.drainInserts();

    expect(inserts.map(({ sequence: _sequence, ...insert }) => insert)).toEqual([
      { kind: 'event', event: updated },
      { kind: 'message', message: { contactId: contact.id, key: message.key } },
      { kind: 'outbound-event', outboundEvent: { contactId: contact.id, id: outbound.id } },
    ]);
    const sequences = inserts.map((insert) => insert.sequence);
    expect([...sequences].sort((a, b) => a - b)).toEqual(sequences);
    expect(world.drainInserts()).toEqual([]);
  });

  it('hands over nothing for changes that are no inserts, nor for a transaction that did not commit', async () => {
    const { world, contact, enrollment, message } = await aBusyWorld();
    world.drainInserts();

    await world.outbox.claim(contact.id, message.key, world.clock.now(), 40_000);
    const lost = aMessage(contact.id, { key: `welcome#${enrollment.id}#lost#1` });
    await expect(
      world.enrollments.advance(enrollment, 7, { messages: [lost], timers: [] }),
    ).rejects.toThrow();

    expect(world.pendingInserts()).toBe(0);
    expect(world.drainInserts()).toEqual([]);
  });

  it('tells a listener of each insert as it is written, and still queues it', async () => {
    const world = new MemoryWorld({ start });
    const heard: string[] = [];
    const stop = world.onInsert((insert) => heard.push(insert.kind));
    const event = { id: newId(), contactId: newId(), type: 'track' as const, at: start, data: {} };

    await world.events.append(event);
    stop();
    await world.events.append({ ...event, id: newId() });

    expect(heard).toEqual(['event']);
    expect(world.drainInserts()).toHaveLength(2);
  });

  it('reports what its stream function could not read as undecodable, and passes over other items', async () => {
    const world = new MemoryWorld({ start });
    world.table.write({ put: { PK: 'C#someone', SK: 'EV#odd', type: 'event', eventType: 'no-such-type' } });
    world.table.write({ put: { PK: 'ELSEWHERE', SK: 'MSG#stray', type: 'message' } });
    world.table.write({ put: { PK: 'ELSEWHERE', SK: 'NOTE#1', type: 'note' } });

    expect(world.drainInserts()).toEqual([
      expect.objectContaining({ kind: 'undecodable', keys: { PK: 'C#someone', SK: 'EV#odd' } }),
      expect.objectContaining({ kind: 'undecodable', keys: { PK: 'ELSEWHERE', SK: 'MSG#stray' } }),
    ]);
  });
});

describe('the memory world’s timer wheel', () => {
  it('lists timers by when a tick can fire them, and fireDueTimers turns the due ones into events', async () => {
    const { world, contact, timer } = await aBusyWorld();
    const late = aTimer(contact.id, newId(), '2026-11-01T00:00:00.000Z');
    await world.timers.schedule(late, new Date('2026-11-23T12:00:30.000Z'));

    expect(world.wheel().map((entry) => [entry.timer.id, entry.firesAt.toISOString()])).toEqual([
      [late.id, '2026-11-23T12:00:00.000Z'],
      [timer.id, timer.dueAt],
    ]);
    expect(world.nextTimerAt()?.toISOString()).toBe('2026-11-23T12:00:00.000Z');

    world.drainInserts();
    world.clock.set(timer.dueAt);
    const outcome = await fireDueTimers({ timers: world.timers }, world.clock.now(), {
      shards: world.timerShards,
      settleSeconds: 0,
      firstRunLookbackMinutes: 24 * 60,
      maxBuckets: 3_000,
    });

    expect(outcome).toMatchObject({ fired: 2, complete: true });
    expect(world.wheel()).toEqual([]);
    expect(world.nextTimerAt()).toBeUndefined();
    expect(
      world
        .drainInserts()
        .map((insert) => (insert.kind === 'event' ? insert.event.data.id : insert.kind))
        .sort(),
    ).toEqual([late.id, timer.id].sort());
  });
});

describe('the memory world’s table', () => {
  it('keeps its own copy of what it is given', async () => {
    const world = new MemoryWorld({ start });
    const contact = aContact();
    await world.contacts.create({ contact, consent: aConsentEntry(contact.id), messages: [] });

    contact.topics.push('changed after the write');
    contact.attributes.later = true;

    expect(await world.contacts.get(contact.id)).toMatchObject({ topics: [], attributes: {} });
  });

  it('lets TTL remove what has expired by the clock, and nothing else', async () => {
    const world = new MemoryWorld({ start });
    const contactId = newId();
    const click = { messageId: 'm#1', clickedAt: start };
    await world.clicks.record(contactId, click, Date.parse('2026-11-30T12:00:00.000Z') / 1000);
    await world.clicks.record(
      contactId,
      { ...click, messageId: 'm#2' },
      Date.parse('2026-12-30T12:00:00.000Z') / 1000,
    );

    expect(world.expire()).toBe(0);
    world.clock.set('2026-12-01T00:00:00.000Z');
    expect(world.expire()).toBe(1);

    expect((await world.clicks.since(contactId, start)).map((kept) => kept.messageId)).toEqual(['m#2']);
    expect(world.items(keys.contact(contactId).PK)).toHaveLength(1);
  });

  it('orders sort keys as DynamoDB does, by code point, not by UTF-16 unit', async () => {
    const world = new MemoryWorld({ start });
    for (const sk of ['a\uffff', 'a\u{1F4DA}', 'a', 'ab']) world.table.write({ put: { PK: 'P', SK: sk } });

    expect(world.items('P').map((item) => item.SK)).toEqual(['a', 'ab', 'a\uffff', 'a\u{1F4DA}']);
  });
});

describe('the memory adapters', () => {
  /** The modules a file loads when it runs; `import type` is erased and loads nothing. */
  const runtimeImports = (file: string): string[] =>
    [
      ...readFileSync(file, 'utf8').matchAll(/^(?:import|export)\s+(?!type\b)[^;]*?\bfrom\s+'([^']+)';/gms),
    ].map((match) => match[1] ?? '');

  it('load no AWS SDK, however deep the import goes', () => {
    const folder = fileURLToPath(new URL('../../../lib/adapters/memory/', import.meta.url));
    const pending = readdirSync(folder)
      .filter((name) => name.endsWith('.ts'))
      .map((name) => join(folder, name));
    const seen = new Set<string>();
    const packages = new Set<string>();
    for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
      if (seen.has(file)) continue;
      seen.add(file);
      for (const specifier of runtimeImports(file)) {
        if (specifier.startsWith('.'))
          pending.push(resolve(dirname(file), specifier.replace(/\.js$/, '.ts')));
        else packages.add(specifier);
      }
    }

    expect(seen.size).toBeGreaterThan(30);
    expect(
      [...packages].filter((name) => name.startsWith('@aws-sdk/') || name.startsWith('@smithy/')),
    ).toEqual([]);
  });
});
