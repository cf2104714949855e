import { describe, expect, it } from 'vitest';
import { JourneyDefinition } from '../../../lib/domain/journey-definition.js';
import { effectiveMapping, mappingProblems, migrateEnrollment } from '../../../lib/domain/migration.js';
import { anEvent, now, publish, tryStep } from './support/journeys.js';

const definition = (nodes: unknown[], start: string) =>
  JourneyDefinition.parse({ id: 'j', name: 'J', trigger: { event: 'signup_confirmed' }, start, nodes });

const before = definition(
  [
    { id: 'pause', type: 'wait', duration: 'P1D', next: 'listen' },
    {
      id: 'listen',
      type: 'wait_for_event',
      event: 'order_completed',
      timeout: 'P7D',
      next: 'done',
      timeout_next: 'done',
    },
    { id: 'done', type: 'exit' },
  ],
  'pause',
);
const after = definition(
  [
    { id: 'pause', type: 'wait', duration: 'P2D', next: 'watch' },
    {
      id: 'watch',
      type: 'wait_for_event',
      event: 'order_completed',
      timeout: 'P7D',
      next: 'end',
      timeout_next: 'end',
    },
    { id: 'end', type: 'exit' },
  ],
  'pause',
);

describe('node mappings for a migration', () => {
  it('maps a wait to the wait of the same id and type without being told', () => {
    expect(effectiveMapping(before, after, { listen: 'watch' })).toEqual({ pause: 'pause', listen: 'watch' });
    expect(mappingProblems(before, after, { listen: 'watch' })).toEqual([]);
  });

  it('names every wait left without a place, and every mapping that does not fit', () => {
    expect(mappingProblems(before, after, { done: 'end', pause: 'watch', ghost: 'nowhere' })).toEqual([
      { path: 'mapping.done', message: '"done" is a node of type exit; enrollments only rest at waits' },
      { path: 'mapping.pause', message: '"pause" is a wait but "watch" is a wait_for_event' },
      { path: 'mapping.ghost', message: 'the old version has no node "ghost"' },
      { path: 'mapping.ghost', message: 'the new version has no node "nowhere"' },
      {
        path: 'mapping',
        message: '"listen" (wait_for_event) has no place in the new version; map it to a wait_for_event',
      },
    ]);
  });
});

describe('migrating one enrollment', () => {
  const entered = tryStep(publish(before), undefined, anEvent());
  const enrollment = entered?.enrollment;

  it('moves it to the mapped node on the new version and keeps its timer and due time', () => {
    if (enrollment === undefined) throw new Error('did not enter');
    expect(migrateEnrollment(enrollment, 1, 2, { pause: 'pause' }, now)).toEqual({
      ...enrollment,
      journeyVersion: 2,
      currentNode: 'pause',
      updatedAt: now.toISOString(),
      version: enrollment.version + 1,
    });
  });

  it('leaves alone an enrollment on another version, or at a node the mapping does not name', () => {
    if (enrollment === undefined) throw new Error('did not enter');
    expect(migrateEnrollment(enrollment, 3, 4, { pause: 'pause' }, now)).toBeUndefined();
    expect(migrateEnrollment(enrollment, 1, 2, { listen: 'watch' }, now)).toBeUndefined();
  });
});
