import { describe, expect, it } from 'vitest';
import { type AdminChange, listAuditLog, recordAdminChange } from '../../../lib/app/admin-audit.js';
import { putCampaign } from '../../../lib/app/manage-campaigns.js';
import { ValidationError } from '../../../lib/domain/errors.js';
import { aWorld } from './support/worlds.js';

const campaign = {
  id: 'winter',
  name: 'Winter offer',
  audience: { segmentId: 'top-value' },
  channel: { kind: 'email', templateId: 'winter-offer' },
};

const campaignDeps = (world: ReturnType<typeof aWorld>) => ({
  campaigns: world.campaigns,
  segments: world.segments,
  templates: world.templates,
  jobs: world.jobs,
  ids: world.ids,
  clock: world.clock,
});

const change = (overrides: Partial<AdminChange>): AdminChange => ({
  caller: { id: 'sub-1', role: 'marketer' },
  method: 'PUT',
  route: '/admin/campaigns/{id}',
  pathParameters: { id: 'winter' },
  status: 200,
  requestBody: undefined,
  responseBody: undefined,
  ...overrides,
});

describe('recording a change made through the admin API', () => {
  it('keeps who, when, the route, its target, and the versions the use case read and wrote', async () => {
    const world = aWorld();
    await putCampaign(campaignDeps(world), 'winter', campaign);
    const requestBody = { ...campaign, version: 1 };
    const answer = await putCampaign(campaignDeps(world), 'winter', requestBody);

    await recordAdminChange(world, change({ requestBody, responseBody: answer }));

    expect((await world.audit.list(10)).entries).toEqual([
      {
        id: expect.any(String),
        at: '2026-11-23T12:00:00.000Z',
        actor: { id: 'sub-1', role: 'marketer' },
        method: 'PUT',
        route: '/admin/campaigns/{id}',
        target: { id: 'winter' },
        status: 200,
        versionBefore: 1,
        versionAfter: 2,
      },
    ]);
  });

  it('holds nothing of the bodies but their version: no address, no name', async () => {
    const world = aWorld();

    const entry = await recordAdminChange(
      world,
      change({
        method: 'POST',
        route: '/admin/api-keys',
        pathParameters: {},
        status: 201,
        requestBody: { name: 'ann@example.com' },
        responseBody: { key: 'rk_secret', name: 'ann@example.com', version: 'not a number' },
      }),
    );

    expect(JSON.stringify(await world.audit.list(10))).not.toMatch(/ann@example\.com|rk_secret/);
    expect(entry).not.toHaveProperty('versionAfter');
    expect(entry.target).toEqual({});
  });
});

describe('reading the audit log', () => {
  it('pages newest first from where the last page ended', async () => {
    const world = aWorld();
    for (const id of ['a', 'b', 'c']) {
      await recordAdminChange(world, change({ pathParameters: { id } }));
      world.clock.advance(60_000);
    }

    const first = await listAuditLog(world, { limit: '2' });
    const second = await listAuditLog(world, { limit: '2', after: first.next ?? undefined });

    expect(first.entries.map((entry) => entry.target.id)).toEqual(['c', 'b']);
    expect(second).toMatchObject({ entries: [{ target: { id: 'a' } }], next: null });
  });

  it('refuses a limit out of range or a cursor it did not give, naming the field', async () => {
    const world = aWorld();

    await expect(listAuditLog(world, { limit: '500' })).rejects.toThrow(ValidationError);
    await expect(listAuditLog(world, { limit: '500' })).rejects.toMatchObject({
      fields: { limit: expect.any(String) },
    });
    await expect(listAuditLog(world, { after: 'C#someone' })).rejects.toMatchObject({
      fields: { after: 'is not a cursor' },
    });
  });
});
