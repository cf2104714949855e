import type { CounterIncrement } from './counter-increment.js';
import type { Enrollment } from './enrollment.js';
import { metricKey, statsScope } from './stats-keys.js';

type Group = Enrollment['group'];

interface Membership {
  group: Group;
  firstEnteredAt: string;
  converted: boolean;
}

const dayOf = (iso: string): string => iso.slice(0, 10);

const byEntry = (a: Enrollment, b: Enrollment): number =>
  a.enteredAt.localeCompare(b.enteredAt) || a.id.localeCompare(b.id);

/**
 * A contact's standing in each journey, read from all their enrollments: what
 * lets the holdout report count people rather than enrollments.
 *
 * A contact becomes a member of a journey with their first enrollment, in that
 * enrollment's group, and is counted once, on the day of that entry
 * (`members:<group>`). They convert once, however many of their enrollments reach
 * the goal (`converted:<group>` and the converting event's revenue,
 * `converted-revenue-minor:<group>`), counted on the day they became a member: a
 * range of days then reports the contacts who joined in it and how many of those
 * converted, so conversions never outrun members. The enrollment counters go on
 * beside them: `entered:<group>` per enrollment, `goal:<group>` and
 * `goal-revenue-minor:<group>` per enrollment that reached its goal, on that day.
 *
 * Built from the contact's enrollments as listed at the start of an event; one
 * contact's events are handled one at a time, in order (the stream keeps a
 * partition key's records in order), so nothing else enrolls them meanwhile. An
 * entry or conversion in the same event is recorded here as it is counted.
 */
export class JourneyMemberships {
  private readonly byJourney = new Map<string, Membership>();

  constructor(enrollments: readonly Enrollment[]) {
    for (const enrollment of [...enrollments].sort(byEntry)) {
      const known = this.byJourney.get(enrollment.journeyId);
      if (known === undefined) {
        this.byJourney.set(enrollment.journeyId, {
          group: enrollment.group,
          firstEnteredAt: enrollment.enteredAt,
          converted: enrollment.goalReachedAt !== undefined,
        });
      } else if (enrollment.goalReachedAt !== undefined) {
        known.converted = true;
      }
    }
  }

  /**
   * The counters a new enrollment adds: always one more enrollment, and a member
   * on the contact's first. Computed before the enrollment is stored, so they go
   * in its transaction; `entered` records it once it is.
   */
  entering(enrollment: Enrollment): CounterIncrement[] {
    const scope = statsScope.journey(enrollment.journeyId);
    const day = dayOf(enrollment.enteredAt);
    const group = enrollment.group;
    return [
      { scope, day, metric: metricKey({ kind: 'group', metric: 'entered', group }), by: 1 },
      ...(this.byJourney.has(enrollment.journeyId)
        ? []
        : [{ scope, day, metric: metricKey({ kind: 'group', metric: 'members', group }), by: 1 }]),
    ];
  }

  /** The enrollment is stored: the contact is a member from now on. */
  entered(enrollment: Enrollment): void {
    if (this.byJourney.has(enrollment.journeyId)) return;
    this.byJourney.set(enrollment.journeyId, {
      group: enrollment.group,
      firstEnteredAt: enrollment.enteredAt,
      converted: enrollment.goalReachedAt !== undefined,
    });
  }

  /**
   * The counters an enrollment that has just reached its goal adds: always one
   * more converted enrollment, and the member's conversion if it is their first.
   * `revenue` is what the converting event was worth (an order's revenue) in
   * minor units of the deployment's currency, if anything.
   */
  reachedGoal(enrollment: Enrollment, revenue: number): CounterIncrement[] {
    const scope = statsScope.journey(enrollment.journeyId);
    const day = dayOf(enrollment.goalReachedAt ?? enrollment.updatedAt);
    const increments: CounterIncrement[] = [
      { scope, day, metric: metricKey({ kind: 'group', metric: 'goal', group: enrollment.group }), by: 1 },
      ...(revenue > 0
        ? [
            {
              scope,
              day,
              metric: metricKey({ kind: 'group', metric: 'goal-revenue-minor', group: enrollment.group }),
              by: revenue,
            },
          ]
        : []),
    ];
    const member = this.byJourney.get(enrollment.journeyId) ?? {
      group: enrollment.group,
      firstEnteredAt: enrollment.enteredAt,
      converted: false,
    };
    this.byJourney.set(enrollment.journeyId, { ...member, converted: true });
    if (member.converted) return increments;
    const joined = dayOf(member.firstEnteredAt);
    return [
      ...increments,
      {
        scope,
        day: joined,
        metric: metricKey({ kind: 'group', metric: 'converted', group: member.group }),
        by: 1,
      },
      ...(revenue > 0
        ? [
            {
              scope,
              day: joined,
              metric: metricKey({ kind: 'group', metric: 'converted-revenue-minor', group: member.group }),
              by: revenue,
            },
          ]
        : []),
    ];
  }
}
