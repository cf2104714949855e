import { describe, expect, it } from 'vitest';
import { compileFilters, InvalidFilterPatternError } from '../../../infra/local/filter-pattern.js';
import { streamFunctions } from '../../../infra/topology.js';

const streamRecord = (eventName: string, sk: string) => ({
  eventID: '1',
  eventName,
  eventSource: 'aws:dynamodb',
  dynamodb: {
    Keys: { PK: { S: 'C#01' }, SK: { S: sk } },
    NewImage: { PK: { S: 'C#01' }, SK: { S: sk }, attempts: { N: '2' } },
  },
});

const matches = (pattern: Record<string, unknown>, record: unknown): boolean =>
  compileFilters([pattern])(record);

describe('the topology’s own stream filters', () => {
  const filtersOf = (name: string) => {
    const spec = streamFunctions().find((candidate) => candidate.name === name);
    if (spec === undefined) throw new Error(`no stream function ${name}`);
    return compileFilters(spec.trigger.filters);
  };

  it('let the journeys function see inserted events only', () => {
    const journeys = filtersOf('journeys');
    expect(journeys(streamRecord('INSERT', 'EV#01J'))).toBe(true);
    expect(journeys(streamRecord('MODIFY', 'EV#01J'))).toBe(false);
    expect(journeys(streamRecord('REMOVE', 'EV#01J'))).toBe(false);
    expect(journeys(streamRecord('INSERT', 'MSG#k'))).toBe(false);
    expect(journeys(streamRecord('INSERT', 'PROFILE'))).toBe(false);
  });

  it('let the deliver function see inserted messages only', () => {
    const deliver = filtersOf('deliver');
    expect(deliver(streamRecord('INSERT', 'MSG#welcome'))).toBe(true);
    expect(deliver(streamRecord('MODIFY', 'MSG#welcome'))).toBe(false);
    expect(deliver(streamRecord('INSERT', 'EV#01J'))).toBe(false);
  });
});

describe('value lists', () => {
  it('match any listed string, number, boolean or null', () => {
    const pattern = { a: ['x', 3, true, null] };
    expect(matches(pattern, { a: 'x' })).toBe(true);
    expect(matches(pattern, { a: 3 })).toBe(true);
    expect(matches(pattern, { a: true })).toBe(true);
    expect(matches(pattern, { a: null })).toBe(true);
    expect(matches(pattern, { a: 'y' })).toBe(false);
    expect(matches(pattern, { a: '3' })).toBe(false);
    expect(matches(pattern, {})).toBe(false);
  });

  it('match a list in the record when any element matches', () => {
    expect(matches({ tags: ['b'] }, { tags: ['a', 'b'] })).toBe(true);
    expect(matches({ tags: ['c'] }, { tags: ['a', 'b'] })).toBe(false);
  });

  it('require every named field to match', () => {
    const pattern = { a: ['x'], b: { c: ['y'] } };
    expect(matches(pattern, { a: 'x', b: { c: 'y' } })).toBe(true);
    expect(matches(pattern, { a: 'x', b: { c: 'z' } })).toBe(false);
    expect(matches(pattern, { a: 'x' })).toBe(false);
  });
});

describe('matchers', () => {
  it('prefix and suffix compare the start and end of strings', () => {
    expect(matches({ s: [{ prefix: 'EV#' }] }, { s: 'EV#1' })).toBe(true);
    expect(matches({ s: [{ prefix: 'EV#' }] }, { s: 'ev#1' })).toBe(false);
    expect(matches({ s: [{ prefix: { 'equals-ignore-case': 'EV#' } }] }, { s: 'ev#1' })).toBe(true);
    expect(matches({ s: [{ suffix: '.png' }] }, { s: 'a.png' })).toBe(true);
    expect(matches({ s: [{ suffix: '.png' }] }, { s: 'a.jpg' })).toBe(false);
    expect(matches({ s: [{ prefix: '1' }] }, { s: 12 })).toBe(false);
  });

  it('equals-ignore-case and wildcard compare whole strings', () => {
    expect(matches({ s: [{ 'equals-ignore-case': 'Insert' }] }, { s: 'INSERT' })).toBe(true);
    expect(matches({ s: [{ wildcard: 'MSG#*#v?' }] }, { s: 'MSG#abc#v?' })).toBe(true);
    expect(matches({ s: [{ wildcard: 'MSG#*' }] }, { s: 'EV#1' })).toBe(false);
  });

  it('anything-but excludes values, lists and prefixes, and needs the field present', () => {
    expect(matches({ e: [{ 'anything-but': 'REMOVE' }] }, { e: 'INSERT' })).toBe(true);
    expect(matches({ e: [{ 'anything-but': 'REMOVE' }] }, { e: 'REMOVE' })).toBe(false);
    expect(matches({ e: [{ 'anything-but': ['REMOVE', 'MODIFY'] }] }, { e: 'MODIFY' })).toBe(false);
    expect(matches({ e: [{ 'anything-but': { prefix: 'EV#' } }] }, { e: 'MSG#1' })).toBe(true);
    expect(matches({ e: [{ 'anything-but': { prefix: 'EV#' } }] }, { e: 'EV#1' })).toBe(false);
    expect(matches({ e: [{ 'anything-but': 'REMOVE' }] }, {})).toBe(false);
  });

  it('exists tests presence, including of nested fields', () => {
    const present = { dynamodb: { OldImage: [{ exists: true }] } };
    const absent = { dynamodb: { OldImage: [{ exists: false }] } };
    expect(matches(present, { dynamodb: { OldImage: {} } })).toBe(true);
    expect(matches(present, { dynamodb: {} })).toBe(false);
    expect(matches(absent, { dynamodb: {} })).toBe(true);
    expect(matches(absent, {})).toBe(true);
    expect(matches(absent, { dynamodb: { OldImage: {} } })).toBe(false);
  });

  it('numeric compares numbers within bounds', () => {
    const pattern = { n: [{ numeric: ['>', 0, '<=', 5] }] };
    expect(matches(pattern, { n: 5 })).toBe(true);
    expect(matches(pattern, { n: 0 })).toBe(false);
    expect(matches(pattern, { n: 6 })).toBe(false);
    expect(matches(pattern, { n: '3' })).toBe(false);
    expect(matches({ n: [{ numeric: ['=', 3] }] }, { n: 3 })).toBe(true);
  });
});

describe('a list of patterns', () => {
  it('passes a record that matches any one of them', () => {
    const filter = compileFilters([{ eventName: ['INSERT'] }, { eventName: ['REMOVE'] }]);
    expect(filter({ eventName: 'INSERT' })).toBe(true);
    expect(filter({ eventName: 'REMOVE' })).toBe(true);
    expect(filter({ eventName: 'MODIFY' })).toBe(false);
  });
});

describe('a pattern Lambda would refuse', () => {
  it.each([
    ['a bare value instead of a list', { eventName: 'INSERT' }],
    ['an empty list', { eventName: [] }],
    ['an unknown matcher', { eventName: [{ regex: '.*' }] }],
    ['a numeric matcher without a number', { n: [{ numeric: ['>', 'x'] }] }],
    ['a prefix that is not a string', { s: [{ prefix: 3 }] }],
  ])('is rejected at compile time: %s', (_label, pattern) => {
    expect(() => compileFilters([pattern])).toThrow(InvalidFilterPatternError);
  });

  it('rejects an empty list of patterns', () => {
    expect(() => compileFilters([])).toThrow(InvalidFilterPatternError);
  });
});
