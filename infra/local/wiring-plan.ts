import type {
  BusRuleTrigger,
  FunctionSpec,
  HttpRoute,
  ScheduleTrigger,
  TableStreamTrigger,
  TopicName,
} from '../topology.js';

interface WiredFunction {
  functionName: string;
  /** Path from the repository root to the module exporting `handler`. */
  entry: string;
  spec: FunctionSpec;
}

/** What the local runtime sets up for one topology entry. */
export type LocalWiring =
  | (WiredFunction & { kind: 'http-routes'; routes: readonly HttpRoute[] })
  | (WiredFunction & { kind: 'stream-poller'; mapping: TableStreamTrigger })
  | (WiredFunction & { kind: 'topic-subscription'; topic: TopicName })
  | (WiredFunction & { kind: 'run-at-start' })
  | (WiredFunction & { kind: 'scheduler'; schedule: ScheduleTrigger })
  | (WiredFunction & { kind: 'bus-rule'; rule: BusRuleTrigger });

export type LocalWiringKind = LocalWiring['kind'];

const unreachable = (value: never): never => {
  throw new Error(`no local wiring for trigger ${JSON.stringify(value)}`);
};

/**
 * Maps each topology entry to what the local runtime wires for it. Pure, so a test
 * can prove every entry is wired, and exhaustive, so a new trigger kind fails to
 * compile here until the local runtime knows it.
 */
export const planLocalWiring = (specs: readonly FunctionSpec[]): LocalWiring[] =>
  specs.map((spec): LocalWiring => {
    const wired: WiredFunction = { functionName: spec.name, entry: spec.entry, spec };
    const trigger = spec.trigger;
    switch (trigger.kind) {
      case 'http':
        return { ...wired, kind: 'http-routes', routes: trigger.routes };
      case 'table-stream':
        return { ...wired, kind: 'stream-poller', mapping: trigger };
      case 'topic':
        return { ...wired, kind: 'topic-subscription', topic: trigger.topic };
      case 'deployment':
        return { ...wired, kind: 'run-at-start' };
      case 'schedule':
        return { ...wired, kind: 'scheduler', schedule: trigger };
      case 'bus-rule':
        return { ...wired, kind: 'bus-rule', rule: trigger };
      default:
        return unreachable(trigger);
    }
  });
