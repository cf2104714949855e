import { beforeEach, describe, expect, it } from 'vitest';
import {
  changeJourneyStatus,
  getJourney,
  getJourneyVersion,
  journeyStats,
  journeyVersions,
  listJourneys,
  type ManageJourneysDeps,
  publishJourney,
  putJourneyDraft,
  validateJourney,
} from '../../../lib/app/manage-journeys.js';
import { ConflictError, NotFoundError, ValidationError } from '../../../lib/domain/errors.js';
import { simulateJourney } from '../../../lib/simulation/simulate-journey.js';
import { publishCompiled } from '../../support/publish-compiled.js';
import { adminStores, manualClock, welcomeJson, welcomeMail } from './support/admin.js';

let deps: ManageJourneysDeps;
let time: ReturnType<typeof manualClock>;

beforeEach(async () => {
  time = manualClock('2026-11-01T09:00:00.000Z');
  deps = { ...(await adminStores()), clock: time.clock };
});

const refusal = async (promise: Promise<unknown>): Promise<ValidationError> => {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof ValidationError))
    throw new Error(`expected a ValidationError, got ${String(error)}`);
  return error;
};

describe('saving a journey draft', () => {
  it('refuses a definition that breaks the schema, naming the JSON path, and stores nothing', async () => {
    const broken = welcomeJson({
      nodes: [
        { id: 'hello', type: 'send_email', template: 'welcome-mail', next: 'pause' },
        { id: 'pause', type: 'wait', duration: 'two days', next: 'done' },
        { id: 'done', type: 'exit' },
      ],
    });

    const error = await refusal(putJourneyDraft(deps, 'welcome', broken));

    expect(Object.keys(error.fields)).toEqual(['nodes.1.duration']);
    await expect(getJourney(deps, 'welcome')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('refuses a body whose id is not the one in the path', async () => {
    const error = await refusal(putJourneyDraft(deps, 'other', welcomeJson()));

    expect(error.fields).toEqual({ id: 'must be "other", the journey id in the path' });
  });

  it('stores a valid draft even before its templates exist, and replaces it on the next save', async () => {
    await putJourneyDraft(deps, 'welcome', welcomeJson());
    const second = await putJourneyDraft(deps, 'welcome', welcomeJson({ name: 'Renamed' }));

    expect(second.revision).toBe(2);
    expect(await getJourney(deps, 'welcome')).toMatchObject({
      status: 'draft-only',
      latest: null,
      draft: { revision: 2, definition: { name: 'Renamed' } },
    });
  });
});

describe('validating a journey', () => {
  it('reports each template the draft sends that is not published, at its path', async () => {
    await putJourneyDraft(deps, 'welcome', welcomeJson());

    expect(await validateJourney(deps, 'welcome', undefined)).toEqual({
      valid: false,
      problems: [{ path: 'nodes.0.template', message: 'unknown template "welcome-mail"' }],
    });
  });

  it('says a template with only a draft must be published first', async () => {
    await deps.templates.putDraft(welcomeMail, time.clock.now());

    const report = await validateJourney(deps, 'welcome', welcomeJson());

    expect(report.problems[0]?.message).toContain('has a draft but no published version');
  });

  it('validates a body given instead of the draft, schema problems included', async () => {
    const report = await validateJourney(deps, 'welcome', welcomeJson({ start: 'nowhere' }));

    expect(report).toEqual({
      valid: false,
      problems: [{ path: 'start', message: 'unknown node "nowhere"' }],
    });
  });

  it('answers valid once the templates are published', async () => {
    await publishCompiled(deps.templates, welcomeMail, time.clock.now());

    expect(await validateJourney(deps, 'welcome', welcomeJson())).toEqual({ valid: true, problems: [] });
  });

  it('is a conflict when there is neither a body nor a draft', async () => {
    await expect(validateJourney(deps, 'welcome', undefined)).rejects.toBeInstanceOf(ConflictError);
  });
});

describe('publishing a journey', () => {
  it('is a conflict when there is no draft', async () => {
    await expect(publishJourney(deps, 'welcome')).rejects.toBeInstanceOf(ConflictError);
  });

  it('refuses a draft that sends an unknown template, and publishes nothing', async () => {
    await putJourneyDraft(deps, 'welcome', welcomeJson());

    const error = await refusal(publishJourney(deps, 'welcome'));

    expect(error.fields).toEqual({ 'nodes.0.template': 'unknown template "welcome-mail"' });
    expect((await getJourney(deps, 'welcome')).latestVersion).toBe(0);
  });

  it('publishes the draft as the next version, with when, and lists the versions', async () => {
    await publishCompiled(deps.templates, welcomeMail, time.clock.now());
    await putJourneyDraft(deps, 'welcome', welcomeJson());
    expect(await publishJourney(deps, 'welcome')).toEqual({
      journeyId: 'welcome',
      version: 1,
      publishedAt: '2026-11-01T09:00:00.000Z',
      status: 'active',
    });
    time.set('2026-11-03T10:00:00.000Z');
    await putJourneyDraft(deps, 'welcome', welcomeJson({ name: 'Welcome, shorter' }));

    expect((await publishJourney(deps, 'welcome')).version).toBe(2);

    expect(await journeyVersions(deps, 'welcome')).toEqual({
      journeyId: 'welcome',
      versions: [
        { version: 1, name: 'Welcome series', publishedAt: '2026-11-01T09:00:00.000Z' },
        { version: 2, name: 'Welcome, shorter', publishedAt: '2026-11-03T10:00:00.000Z' },
      ],
    });
    // Each version keeps its own definition, for a diff between any two.
    expect((await getJourneyVersion(deps, 'welcome', '1')).definition.name).toBe('Welcome series');
    expect((await getJourneyVersion(deps, 'welcome', '2')).definition.name).toBe('Welcome, shorter');
    await expect(getJourneyVersion(deps, 'welcome', '3')).rejects.toBeInstanceOf(NotFoundError);
    expect((await refusal(getJourneyVersion(deps, 'welcome', 'first'))).fields).toEqual({
      version: 'must be a whole number from 1',
    });
    expect(await getJourney(deps, 'welcome')).toMatchObject({
      status: 'active',
      latestVersion: 2,
      hasDraft: false,
      draft: null,
      latest: { version: 2, definition: { name: 'Welcome, shorter' } },
    });
    expect((await listJourneys(deps)).journeys.map((j) => [j.journeyId, j.latestVersion])).toEqual([
      ['welcome', 2],
    ]);
  });
});

describe('pausing, resuming and archiving', () => {
  beforeEach(async () => {
    await publishCompiled(deps.templates, welcomeMail, time.clock.now());
    await putJourneyDraft(deps, 'welcome', welcomeJson());
    await publishJourney(deps, 'welcome');
  });

  it('stops and restarts new entries', async () => {
    expect(await changeJourneyStatus(deps, 'welcome', 'pause')).toEqual({
      journeyId: 'welcome',
      status: 'paused',
    });
    expect(await deps.journeys.activeForTrigger('signup_confirmed')).toEqual([]);
    expect((await changeJourneyStatus(deps, 'welcome', 'pause')).status).toBe('paused');

    expect((await changeJourneyStatus(deps, 'welcome', 'resume')).status).toBe('active');
    expect(await deps.journeys.activeForTrigger('signup_confirmed')).toHaveLength(1);
  });

  it('makes archiving final: no resume, no draft, no publish', async () => {
    await putJourneyDraft(deps, 'welcome', welcomeJson({ name: 'Pending edit' }));
    expect((await changeJourneyStatus(deps, 'welcome', 'archive')).status).toBe('archived');

    await expect(changeJourneyStatus(deps, 'welcome', 'resume')).rejects.toBeInstanceOf(ConflictError);
    await expect(changeJourneyStatus(deps, 'welcome', 'pause')).rejects.toBeInstanceOf(ConflictError);
    await expect(putJourneyDraft(deps, 'welcome', welcomeJson())).rejects.toBeInstanceOf(ConflictError);
    await expect(publishJourney(deps, 'welcome')).rejects.toBeInstanceOf(ConflictError);
    expect(await deps.journeys.status('welcome')).toBe('archived');
  });

  it('cannot change a journey that has only a draft, nor one that does not exist', async () => {
    await putJourneyDraft(deps, 'draft-only', welcomeJson({ id: 'draft-only' }));

    await expect(changeJourneyStatus(deps, 'draft-only', 'pause')).rejects.toBeInstanceOf(ConflictError);
    await expect(changeJourneyStatus(deps, 'nobody', 'pause')).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('journey stats', () => {
  beforeEach(async () => {
    await putJourneyDraft(deps, 'welcome', welcomeJson());
    const scope = 'journey:welcome';
    await deps.stats.increment(scope, '2026-11-01', 'entered:treatment', 3);
    await deps.stats.increment(scope, '2026-11-01', 'entered:control');
    await deps.stats.increment(scope, '2026-11-01', 'skipped:capped');
    await deps.stats.increment(scope, '2026-11-01', 'node:hello:entered', 3);
    await deps.stats.increment(scope, '2026-11-01', 'node:hello:skipped:capped');
    await deps.stats.increment(scope, '2026-11-03', 'node:pause:entered', 2);
    await deps.stats.increment(scope, '2026-11-03', 'completed', 2);
    await deps.stats.increment('journey:other', '2026-11-01', 'completed', 9);
  });

  it('answers every day of the range, journey counters apart from per-node ones', async () => {
    const stats = await journeyStats(deps, 'welcome', { from: '2026-11-01', to: '2026-11-03' });

    expect(stats).toEqual({
      journeyId: 'welcome',
      from: '2026-11-01',
      to: '2026-11-03',
      days: [
        {
          day: '2026-11-01',
          totals: { 'entered:treatment': 3, 'entered:control': 1, 'skipped:capped': 1 },
          nodes: { hello: { entered: 3, 'skipped:capped': 1 } },
        },
        { day: '2026-11-02', totals: {}, nodes: {} },
        { day: '2026-11-03', totals: { completed: 2 }, nodes: { pause: { entered: 2 } } },
      ],
    });
  });

  it('defaults to the 30 days up to today', async () => {
    const stats = await journeyStats(deps, 'welcome', {});

    expect(stats.days).toHaveLength(30);
    expect(stats.to).toBe('2026-11-01');
    expect(stats.days[29]?.totals['entered:treatment']).toBe(3);
  });

  it('answers 92 days at once but refuses 93, naming the field', async () => {
    const quarter = await journeyStats(deps, 'welcome', { from: '2026-01-01', to: '2026-04-02' });
    expect(quarter.days).toHaveLength(92);

    const error = await refusal(journeyStats(deps, 'welcome', { from: '2026-01-01', to: '2026-04-03' }));

    expect(error.fields).toEqual({ to: 'the range spans 93 days; ask for at most 92 at a time' });
  });

  it('refuses a reversed range and a malformed day, naming the field', async () => {
    const reversed = await refusal(journeyStats(deps, 'welcome', { from: '2026-11-03', to: '2026-11-01' }));
    expect(reversed.fields).toEqual({ from: 'must not be after to' });

    const malformed = await refusal(journeyStats(deps, 'welcome', { from: '1 Nov' }));
    expect(malformed.fields).toEqual({ from: 'must be a day such as 2026-11-23' });
  });

  it('does not know a journey that does not exist', async () => {
    await expect(journeyStats(deps, 'nobody', {})).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('when a definition is past what a journey may hold', () => {
  const nestedAnd = (levels: number): Record<string, unknown> =>
    levels === 0 ? { 'contact.topics': 'newsletter' } : { $and: [nestedAnd(levels - 1)] };
  const branching = (condition: Record<string, unknown>) =>
    welcomeJson({
      start: 'choose',
      nodes: [
        { id: 'choose', type: 'branch', branches: [{ condition, next: 'done' }], else: 'done' },
        { id: 'done', type: 'exit' },
      ],
    });
  const chain = (length: number) =>
    welcomeJson({
      start: 'n0',
      nodes: Array.from({ length }, (_, index) => ({
        id: `n${index}`,
        type: 'emit_event',
        detail_type: 'Step',
        ...(index < length - 1 ? { next: `n${index + 1}` } : {}),
      })),
    });

  it.each([
    [
      'a wait of P999999999Y',
      welcomeJson({
        nodes: [
          { id: 'hello', type: 'send_email', template: 'welcome-mail', next: 'pause' },
          { id: 'pause', type: 'wait', duration: 'P999999999Y', next: 'done' },
          { id: 'done', type: 'exit' },
        ],
      }),
      'nodes.1.duration',
    ],
    ['15 nested $and', branching(nestedAnd(15)), 'nodes.0.branches.0.condition'],
    ['1,000 nested $and', branching(nestedAnd(1_000)), 'nodes.0.branches.0.condition'],
    ['10,000 nodes', chain(10_000), 'nodes'],
  ])(
    'validate and draft agree: both refuse %s with 400, naming the field',
    async (_case, definition, field) => {
      const report = await validateJourney(deps, 'welcome', definition);
      expect(report.valid).toBe(false);
      expect(report.problems.map((problem) => problem.path)).toContain(field);

      const refused = await refusal(putJourneyDraft(deps, 'welcome', definition));
      expect(Object.keys(refused.fields)).toContain(field);
      await expect(getJourney(deps, 'welcome')).rejects.toBeInstanceOf(NotFoundError);
    },
  );

  it('stores and publishes an update_contact that sets an attribute named constructor', async () => {
    await publishCompiled(deps.templates, welcomeMail, time.clock.now());
    const definition = welcomeJson({
      start: 'mark',
      nodes: [
        { id: 'mark', type: 'update_contact', set: { constructor: 'builder' }, next: 'done' },
        { id: 'done', type: 'exit' },
      ],
    });
    expect(await validateJourney(deps, 'welcome', definition)).toEqual({ valid: true, problems: [] });
    await putJourneyDraft(deps, 'welcome', definition);
    expect(await publishJourney(deps, 'welcome')).toMatchObject({ version: 1 });
  });
});

describe('when a simulation cannot finish', () => {
  it('answers 400 naming why, instead of running for a minute', async () => {
    const nodes: unknown[] = [{ id: 'first', type: 'wait', duration: 'PT1S', next: 'n1' }];
    for (let index = 1; index <= 40; index += 1) {
      nodes.push({
        id: `n${index}`,
        type: 'emit_event',
        detail_type: 'Tick',
        next: index < 40 ? `n${index + 1}` : 'first',
      });
    }
    await putJourneyDraft(deps, 'welcome', welcomeJson({ start: 'first', nodes }));

    const refused = await refusal(
      simulateJourney(
        {
          journeys: deps.journeys,
          templates: deps.templates,
          clock: time.clock,
          policy: async () => undefined,
          defaultTimeZone: 'UTC',
          defaultCurrency: 'EUR',
        },
        'welcome',
        { events: [{ type: 'signup_confirmed', at: '2026-11-01T09:00:00Z' }] },
      ),
    );

    expect(refused.fields.simulation).toMatch(/more than 10000 lines/);
  });
});
