import { describe, expect, it } from 'vitest';
import type { Enrollment } from '../../../lib/domain/enrollment.js';
import { JourneyMemberships } from '../../../lib/domain/journey-membership.js';

const anEnrollment = (overrides: Partial<Enrollment> = {}): Enrollment => ({
  id: 'e1',
  contactId: 'c1',
  journeyId: 'offer',
  journeyVersion: 1,
  status: 'completed',
  group: 'treatment',
  visits: {},
  triggerEventId: 'e1',
  enteredAt: '2026-11-20T10:00:00.000Z',
  updatedAt: '2026-11-20T10:00:00.000Z',
  version: 1,
  ...overrides,
});

describe('counting a journey’s members', () => {
  it('counts a contact’s first entry as a member and an enrollment', () => {
    const memberships = new JourneyMemberships([]);
    expect(memberships.entering(anEnrollment())).toEqual([
      { scope: 'journey:offer', day: '2026-11-20', metric: 'entered:treatment', by: 1 },
      { scope: 'journey:offer', day: '2026-11-20', metric: 'members:treatment', by: 1 },
    ]);
  });

  it('counts a re-entry as an enrollment only, in this event or a later one', () => {
    const earlier = anEnrollment({ id: 'e0', enteredAt: '2026-11-01T10:00:00.000Z' });
    expect(
      new JourneyMemberships([earlier]).entering(
        anEnrollment({ id: 'e2', enteredAt: '2026-11-21T09:00:00.000Z' }),
      ),
    ).toEqual([{ scope: 'journey:offer', day: '2026-11-21', metric: 'entered:treatment', by: 1 }]);

    // Two entries in one event (a for_each trigger): the first stored makes the member.
    const memberships = new JourneyMemberships([]);
    memberships.entered(anEnrollment({ id: 'o.0' }));
    expect(memberships.entering(anEnrollment({ id: 'o.1' }))).toEqual([
      { scope: 'journey:offer', day: '2026-11-20', metric: 'entered:treatment', by: 1 },
    ]);
  });

  it('makes no member of an entry that was not stored', () => {
    const memberships = new JourneyMemberships([]);
    memberships.entering(anEnrollment({ id: 'o.0' }));
    expect(memberships.entering(anEnrollment({ id: 'o.1' }))).toContainEqual({
      scope: 'journey:offer',
      day: '2026-11-20',
      metric: 'members:treatment',
      by: 1,
    });
  });

  it('keeps journeys apart', () => {
    const memberships = new JourneyMemberships([anEnrollment({ journeyId: 'welcome' })]);
    expect(memberships.entering(anEnrollment({ group: 'control' }))).toContainEqual({
      scope: 'journey:offer',
      day: '2026-11-20',
      metric: 'members:control',
      by: 1,
    });
  });
});

describe('counting a journey’s conversions', () => {
  const first = anEnrollment({ id: 'e1', enteredAt: '2026-11-02T08:00:00.000Z', group: 'control' });
  const second = anEnrollment({ id: 'e2', enteredAt: '2026-11-15T08:00:00.000Z', group: 'control' });
  const converted = (enrollment: Enrollment, at: string) => ({
    ...enrollment,
    goalReachedAt: at,
    updatedAt: at,
  });

  it('converts a member once, on the day they joined, with what the conversion was worth', () => {
    const memberships = new JourneyMemberships([first, second]);
    expect(memberships.reachedGoal(converted(second, '2026-11-25T12:00:00.000Z'), 1999)).toEqual([
      { scope: 'journey:offer', day: '2026-11-25', metric: 'goal:control', by: 1 },
      { scope: 'journey:offer', day: '2026-11-25', metric: 'goal-revenue-minor:control', by: 1999 },
      { scope: 'journey:offer', day: '2026-11-02', metric: 'converted:control', by: 1 },
      { scope: 'journey:offer', day: '2026-11-02', metric: 'converted-revenue-minor:control', by: 1999 },
    ]);
    // Their other enrollment converts too, later: one more converted enrollment, not one more converted member.
    expect(memberships.reachedGoal(converted(first, '2026-11-26T12:00:00.000Z'), 500)).toEqual([
      { scope: 'journey:offer', day: '2026-11-26', metric: 'goal:control', by: 1 },
      { scope: 'journey:offer', day: '2026-11-26', metric: 'goal-revenue-minor:control', by: 500 },
    ]);
  });

  it('knows a member converted before from their enrollments', () => {
    const memberships = new JourneyMemberships([converted(first, '2026-11-03T08:00:00.000Z'), second]);
    expect(memberships.reachedGoal(converted(second, '2026-11-25T12:00:00.000Z'), 0)).toEqual([
      { scope: 'journey:offer', day: '2026-11-25', metric: 'goal:control', by: 1 },
    ]);
  });

  it('credits the group the member joined in, should a later version have moved the split', () => {
    const moved = anEnrollment({ id: 'e3', enteredAt: '2026-11-20T08:00:00.000Z', group: 'treatment' });
    const memberships = new JourneyMemberships([moved, first]);
    expect(memberships.reachedGoal(converted(moved, '2026-11-25T12:00:00.000Z'), 0)).toEqual([
      { scope: 'journey:offer', day: '2026-11-25', metric: 'goal:treatment', by: 1 },
      { scope: 'journey:offer', day: '2026-11-02', metric: 'converted:control', by: 1 },
    ]);
  });
});
