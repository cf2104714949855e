import { describe, expect, it } from 'vitest';
import { planLocalWiring } from '../../../infra/local/wiring-plan.js';
import { type FunctionSpec, type TableStreamTrigger, topology } from '../../../infra/topology.js';

const access = { table: 'read', sendEmail: false, tokenKeys: false } as const;
const base = { description: 'test', memoryMb: 128, timeoutSeconds: 3, access };

describe('planning the local wiring', () => {
  it('wires each trigger kind to its local counterpart', () => {
    const mapping: TableStreamTrigger = {
      kind: 'table-stream',
      batchSize: 5,
      maxBatchingWindowSeconds: 0,
      filters: [{ eventName: ['INSERT'] }],
      retryAttempts: 2,
      maxRecordAgeSeconds: 60,
      bisectBatchOnError: true,
      reportBatchItemFailures: true,
    };
    const specs: FunctionSpec[] = [
      {
        ...base,
        name: 'web',
        entry: 'functions/http/web.ts',
        trigger: { kind: 'http', routes: [{ method: 'GET', path: '/x', auth: 'admin' }] },
      },
      { ...base, name: 'reader', entry: 'functions/stream/reader.ts', trigger: mapping },
      {
        ...base,
        name: 'listener',
        entry: 'functions/topic/listener.ts',
        trigger: { kind: 'topic', topic: 'ses-feedback' },
      },
      { ...base, name: 'seed', entry: 'functions/deployment/seed.ts', trigger: { kind: 'deployment' } },
      {
        ...base,
        name: 'orders',
        entry: 'functions/bus/orders.ts',
        trigger: { kind: 'bus-rule', pattern: { 'detail-type': ['Order Completed'] } },
      },
    ];

    const plan = planLocalWiring(specs);

    expect(plan.map((wiring) => [wiring.functionName, wiring.kind, wiring.entry])).toEqual([
      ['web', 'http-routes', 'functions/http/web.ts'],
      ['reader', 'stream-poller', 'functions/stream/reader.ts'],
      ['listener', 'topic-subscription', 'functions/topic/listener.ts'],
      ['seed', 'run-at-start', 'functions/deployment/seed.ts'],
      ['orders', 'bus-rule', 'functions/bus/orders.ts'],
    ]);
    expect(plan[0]).toMatchObject({ routes: [{ method: 'GET', path: '/x', auth: 'admin' }] });
    expect(plan[1]).toMatchObject({ mapping });
    expect(plan[2]).toMatchObject({ topic: 'ses-feedback' });
    expect(plan[4]).toMatchObject({ rule: { pattern: { 'detail-type': ['Order Completed'] } } });
  });

  it('wires every topology entry exactly once', () => {
    const plan = planLocalWiring(topology);
    expect(plan.map((wiring) => wiring.functionName)).toEqual(topology.map((spec) => spec.name));
  });

  it('serves every route of the topology', () => {
    const routes = planLocalWiring(topology).flatMap((wiring) =>
      wiring.kind === 'http-routes' ? wiring.routes.map((route) => `${route.method} ${route.path}`) : [],
    );
    const declared = topology.flatMap((spec) =>
      spec.trigger.kind === 'http' ? spec.trigger.routes.map((route) => `${route.method} ${route.path}`) : [],
    );
    expect(routes).toEqual(declared);
    expect(routes).toContain('GET /health');
  });
});
