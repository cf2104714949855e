import { beforeEach, describe, expect, it } from 'vitest';
import type { MemoryWorld } from '../../../lib/adapters/memory/memory-world.js';
import {
  countSegment,
  deleteSegment,
  getSegment,
  latestSegmentCount,
  listSegments,
  type ManageSegmentsDeps,
  putSegment,
  seedSegments,
  validateSegment,
} from '../../../lib/app/manage-segments.js';
import { type RunJourneyJobsOptions, runJourneyJobs } from '../../../lib/app/run-journey-jobs.js';
import type { Contact } from '../../../lib/domain/contact.js';
import { emptyCustomerCard } from '../../../lib/domain/customer-card.js';
import { ConcurrentUpdateError, ConflictError, NotFoundError } from '../../../lib/domain/errors.js';
import { aSignup, aSubscribedContact } from '../../support/builders.js';
import { pageBudget } from '../../support/page-budget.js';
import { fieldsOf } from './support/admin.js';
import { aWorld, jobDepsFor } from './support/worlds.js';

let world: MemoryWorld;
let deps: ManageSegmentsDeps;

beforeEach(() => {
  world = aWorld('2026-12-01T12:00:00.000Z');
  deps = {
    segments: world.segments,
    contacts: world.contacts,
    jobs: world.jobs,
    ids: world.ids,
    clock: world.clock,
  };
});

const vips = { name: 'VIPs', condition: { 'contact.customer.tier': 'vip' } };
const crimeReaders = {
  name: 'Crime readers',
  condition: { 'contact.customer.categoryLastPurchasedAt.books/crime': { $within: '-P180D' } },
};

const runJobs = (options: Partial<RunJourneyJobsOptions> = {}) =>
  runJourneyJobs(jobDepsFor(world), { outOfTime: () => false, pageSize: 3, ...options });

const addContact = async (customer: Partial<NonNullable<Contact['customer']>> | undefined) => {
  const contact = aSubscribedContact(
    customer === undefined ? {} : { customer: { ...emptyCustomerCard(), ...customer } },
  );
  await world.contacts.create(aSignup(contact));
  return contact;
};

describe('when a marketer saves a segment', () => {
  it('creates it at version 1 (created) and reads and lists it', async () => {
    const result = await putSegment(deps, 'vips', { ...vips, description: 'Top tier' });

    expect(result).toMatchObject({
      created: true,
      segment: { id: 'vips', name: 'VIPs', live: false, version: 1, createdAt: '2026-12-01T12:00:00.000Z' },
    });
    expect(await getSegment(deps, 'vips')).toEqual(result.segment);
    await putSegment(deps, 'crime-readers', crimeReaders);
    expect((await listSegments(deps)).segments.map((segment) => segment.id)).toEqual([
      'crime-readers',
      'vips',
    ]);
  });

  it('refuses to create one that exists: a replacement names the version it was read at', async () => {
    await putSegment(deps, 'vips', vips);

    await expect(putSegment(deps, 'vips', { ...vips, name: 'Other' })).rejects.toBeInstanceOf(ConflictError);
    expect((await getSegment(deps, 'vips')).name).toBe('VIPs');
  });

  it('replaces it over its version, and refuses a stale version or a segment that is gone', async () => {
    await putSegment(deps, 'vips', vips);

    const replaced = await putSegment(deps, 'vips', { ...vips, name: 'Very important', version: 1 });
    expect(replaced).toMatchObject({ created: false, segment: { name: 'Very important', version: 2 } });

    await expect(putSegment(deps, 'vips', { ...vips, version: 1 })).rejects.toBeInstanceOf(
      ConcurrentUpdateError,
    );
    await expect(putSegment(deps, 'nobody', { ...vips, version: 1 })).rejects.toBeInstanceOf(NotFoundError);
    expect(await world.segments.get('nobody')).toBeUndefined();
  });

  it('refuses a bad segment with a 400 naming each field, storing nothing', async () => {
    expect(await fieldsOf(putSegment(deps, 'vips', { condition: vips.condition }))).toHaveProperty('name');
    expect(
      await fieldsOf(
        putSegment(deps, 'vips', {
          name: 'Lapsed',
          condition: { 'contact.customer.lastPurchaseAt': { $before: 'soon' } },
        }),
      ),
    ).toEqual({ condition: expect.stringContaining('$before') });
    expect(await fieldsOf(putSegment(deps, 'vips', { ...vips, condtion: {} }))).toHaveProperty('body');
    expect(await fieldsOf(putSegment(deps, 'vips', { ...vips, id: 'other' }))).toEqual({
      id: 'must be "vips", the segment id in the path',
    });
    expect(await fieldsOf(putSegment(deps, 'validate', vips))).toHaveProperty('id');
    expect(await fieldsOf(putSegment(deps, 'Not An Id', vips))).toHaveProperty('id');
    expect(await world.segments.list()).toEqual([]);
  });
});

describe('when a segment is validated', () => {
  it('answers valid for a good one and names the fields of a bad one, storing nothing', () => {
    expect(validateSegment({ id: 'crime-readers', ...crimeReaders })).toEqual({ valid: true, problems: [] });
    expect(
      validateSegment({
        id: 'soon',
        name: 'Soon',
        condition: { 'contact.customer.lastPurchaseAt': { $within: 'P1X' } },
      }),
    ).toEqual({
      valid: false,
      problems: [{ path: 'condition', message: expect.stringContaining('$within') }],
    });
    expect(validateSegment(vips)).toEqual({
      valid: false,
      problems: [{ path: 'id', message: 'is required' }],
    });
  });
});

describe('when a segment is deleted', () => {
  it('is gone, and deleting or reading it again is a 404', async () => {
    await putSegment(deps, 'vips', vips);

    expect(await deleteSegment(deps, 'vips')).toEqual({ segmentId: 'vips', deleted: true });
    await expect(deleteSegment(deps, 'vips')).rejects.toBeInstanceOf(NotFoundError);
    await expect(getSegment(deps, 'vips')).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('when a segment is counted', () => {
  it('files a job for the segment at this moment and version; an unknown segment is a 404', async () => {
    await putSegment(deps, 'vips', vips);

    const { job } = await countSegment(deps, 'vips');

    expect(job).toMatchObject({
      subject: 'segment:vips',
      status: 'pending',
      work: { kind: 'segment-count', segmentId: 'vips', version: 1, at: '2026-12-01T12:00:00.000Z' },
    });
    await expect(countSegment(deps, 'nobody')).rejects.toBeInstanceOf(NotFoundError);
    await expect(latestSegmentCount(deps, 'nobody')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('answers no count before the first', async () => {
    await putSegment(deps, 'vips', vips);
    expect(await latestSegmentCount(deps, 'vips')).toEqual({ segmentId: 'vips', count: null });
  });

  it('walks every contact and counts the members, with their addresses as a sample', async () => {
    await putSegment(deps, 'vips', vips);
    const members = [];
    for (let index = 0; index < 4; index += 1) members.push(await addContact({ tier: 'vip' }));
    for (let index = 0; index < 5; index += 1) await addContact({ tier: 'regular' });
    await addContact(undefined);
    await countSegment(deps, 'vips');

    await runJobs();

    const { count } = await latestSegmentCount(deps, 'vips');
    expect(count).toMatchObject({ status: 'done', done: true, seen: 10, members: 4, version: 1 });
    expect(count?.sample).toHaveLength(4);
    expect(new Set(count?.sample)).toEqual(
      new Set(members.map((member) => ({ contactId: member.id, email: member.email }))),
    );
  });

  it('keeps ten members as its sample however many there are', async () => {
    await putSegment(deps, 'vips', vips);
    for (let index = 0; index < 12; index += 1) await addContact({ tier: 'vip' });
    await countSegment(deps, 'vips');

    await runJobs();

    const { count } = await latestSegmentCount(deps, 'vips');
    expect(count).toMatchObject({ members: 12, seen: 12 });
    expect(count?.sample).toHaveLength(10);
  });

  it('shows its progress while it runs, and runs stopped after every page resume to the same total', async () => {
    await putSegment(deps, 'vips', vips);
    for (let index = 0; index < 7; index += 1)
      await addContact({ tier: index % 2 === 0 ? 'vip' : 'regular' });
    await countSegment(deps, 'vips');

    const views = [];
    for (let run = 0; run < 50; run += 1) {
      // One page per run, as a run that times out after each page would leave it.
      const onePage = pageBudget(world.jobs, 1);
      await runJourneyJobs(jobDepsFor(world, { jobs: onePage.jobs }), {
        outOfTime: onePage.outOfTime,
        pageSize: 3,
      });
      const { count } = await latestSegmentCount(deps, 'vips');
      views.push(count);
      if (count?.done) break;
    }

    expect(views.at(-1)).toMatchObject({ status: 'done', done: true, seen: 7, members: 4 });
    const partway = views.filter((view) => view !== null && !view.done && view.seen > 0);
    // Pages hold 3 contacts, so some run stops with part of the 7 seen (later ones may only have empty shards left).
    expect(partway.some((view) => (view?.seen ?? 0) < 7)).toBe(true);
    const seen = views.map((view) => view?.seen ?? 0);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
  });

  it('measures relative dates from when the count was asked for, not when it runs', async () => {
    await putSegment(deps, 'crime-readers', crimeReaders);
    await addContact({ categoryLastPurchasedAt: { 'books/crime': '2026-07-01T00:00:00.000Z' } });
    await countSegment(deps, 'crime-readers');
    // 180 days after July the purchase is out of the window; the count still measures from December 1st.
    world.clock.set('2027-02-01T00:00:00.000Z');

    await runJobs();

    expect((await latestSegmentCount(deps, 'crime-readers')).count).toMatchObject({
      members: 1,
      at: '2026-12-01T12:00:00.000Z',
    });
  });

  it('fails, saying why, when the segment changes or goes before the count finishes', async () => {
    await putSegment(deps, 'vips', vips);
    await addContact({ tier: 'vip' });
    await countSegment(deps, 'vips');
    await putSegment(deps, 'vips', { ...vips, name: 'Changed', version: 1 });

    await runJobs();

    expect((await latestSegmentCount(deps, 'vips')).count).toMatchObject({
      status: 'failed',
      done: true,
      members: 0,
      error: expect.stringContaining('changed (version 2)'),
    });
  });

  it('answers the latest count', async () => {
    await putSegment(deps, 'vips', vips);
    await addContact({ tier: 'vip' });
    await countSegment(deps, 'vips');
    await runJobs();
    await addContact({ tier: 'vip' });
    world.clock.advance(60_000);
    const { job } = await countSegment(deps, 'vips');
    await runJobs();

    expect((await latestSegmentCount(deps, 'vips')).count).toMatchObject({ jobId: job.id, members: 2 });
  });
});

describe('when the repository seeds its segments', () => {
  it('creates the missing ones and leaves a marketer edit alone', async () => {
    await putSegment(deps, 'vips', vips);
    await putSegment(deps, 'vips', { ...vips, name: 'Edited by marketing', version: 1 });

    const seeded = await seedSegments(deps, [
      { id: 'vips', ...vips, live: false },
      { id: 'crime-readers', ...crimeReaders, live: false },
    ]);

    expect(seeded).toEqual({ created: ['crime-readers'], kept: ['vips'] });
    expect(await getSegment(deps, 'vips')).toMatchObject({ name: 'Edited by marketing', version: 2 });
    expect(await getSegment(deps, 'crime-readers')).toMatchObject({ name: 'Crime readers', version: 1 });
  });
});
