import type { Enrollment } from './enrollment.js';
import type { JourneyDefinition, JourneyNode } from './journey-definition.js';
import { pauses } from './journey-definition.js';
import type { NodeMapping } from './journey-job.js';
import { own } from './own-property.js';

export interface MappingProblem {
  /** `mapping.<node>` or `mapping` for a node left out. */
  path: string;
  message: string;
}

const restingNodes = (definition: JourneyDefinition): JourneyNode[] => definition.nodes.filter(pauses);

/**
 * The mapping a migration will use: the one given, plus every resting node
 * whose id and type are the same in both versions (it maps to itself).
 */
export const effectiveMapping = (
  from: JourneyDefinition,
  to: JourneyDefinition,
  mapping: NodeMapping,
): NodeMapping => {
  const target = new Map(to.nodes.map((node) => [node.id, node]));
  const implied = restingNodes(from).flatMap((node) =>
    target.get(node.id)?.type === node.type && own(mapping, node.id) === undefined
      ? [[node.id, node.id]]
      : [],
  );
  return { ...Object.fromEntries(implied), ...mapping };
};

/**
 * Running enrollments rest only at wait and wait_for_event nodes, so those are
 * what a mapping must cover. Each must land on a node of the same type in the
 * new version: the wait in progress keeps its due time (or timeout) and its
 * timer, and only what happens after it changes.
 */
export const mappingProblems = (
  from: JourneyDefinition,
  to: JourneyDefinition,
  mapping: NodeMapping,
): MappingProblem[] => {
  const source = new Map(from.nodes.map((node) => [node.id, node]));
  const target = new Map(to.nodes.map((node) => [node.id, node]));
  const problems: MappingProblem[] = [];
  for (const [oldId, newId] of Object.entries(mapping)) {
    const path = `mapping.${oldId}`;
    const old = source.get(oldId);
    const next = target.get(newId);
    if (old === undefined) problems.push({ path, message: `the old version has no node "${oldId}"` });
    else if (!pauses(old))
      problems.push({
        path,
        message: `"${oldId}" is a node of type ${old.type}; enrollments only rest at waits`,
      });
    if (next === undefined) problems.push({ path, message: `the new version has no node "${newId}"` });
    else if (old !== undefined && pauses(old) && next.type !== old.type)
      problems.push({ path, message: `"${oldId}" is a ${old.type} but "${newId}" is a ${next.type}` });
  }
  const full = effectiveMapping(from, to, mapping);
  for (const node of restingNodes(from)) {
    if (own(full, node.id) === undefined)
      problems.push({
        path: 'mapping',
        message: `"${node.id}" (${node.type}) has no place in the new version; map it to a ${node.type}`,
      });
  }
  return problems;
};

/**
 * The enrollment on the new version, or undefined when it is not this
 * migration's to move (another version, already ended). Its wait keeps its
 * timer id, so the timer already filed ends the wait at the new node.
 */
export const migrateEnrollment = (
  enrollment: Enrollment,
  fromVersion: number,
  toVersion: number,
  mapping: NodeMapping,
  now: Date,
): Enrollment | undefined => {
  if (enrollment.status !== 'active' || enrollment.journeyVersion !== fromVersion) return undefined;
  const waiting = enrollment.waiting;
  const target = waiting === undefined ? undefined : mapping[waiting.nodeId];
  if (waiting === undefined || target === undefined) return undefined;
  return {
    ...enrollment,
    journeyVersion: toVersion,
    currentNode: target,
    waiting: { ...waiting, nodeId: target },
    updatedAt: now.toISOString(),
    version: enrollment.version + 1,
  };
};
