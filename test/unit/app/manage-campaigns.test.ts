import { beforeEach, describe, expect, it } from 'vitest';
import {
  changeCampaignStatus,
  getCampaign,
  launchCampaign,
  listCampaigns,
  putCampaign,
  validateCampaign,
} from '../../../lib/app/manage-campaigns.js';
import { ConflictError, NotFoundError } from '../../../lib/domain/errors.js';
import { fieldsOf } from './support/admin.js';
import { aCampaign, aCampaignWorld, type CampaignWorld } from './support/campaigns.js';

let w: CampaignWorld;

beforeEach(async () => {
  w = await aCampaignWorld();
});

describe('when a campaign is drafted', () => {
  it('stores it as a draft at version 1 and lists it', async () => {
    const saved = await putCampaign(w.manage, 'winter-sale', aCampaign());
    expect(saved).toMatchObject({ status: 'draft', version: 1 });
    expect((await listCampaigns(w.manage)).campaigns.map((campaign) => campaign.definition.id)).toEqual([
      'winter-sale',
    ]);
    expect(await getCampaign(w.manage, 'winter-sale')).toMatchObject({ status: 'draft', jobs: [] });
  });

  it('refuses a bad definition with 400s naming each field, storing nothing', async () => {
    const fields = await fieldsOf(
      putCampaign(w.manage, 'winter-sale', { ...aCampaign(), holdout: 80, channel: { kind: 'fax' } }),
    );
    expect(Object.keys(fields).sort()).toEqual(['channel.kind', 'holdout']);
    await expect(getCampaign(w.manage, 'winter-sale')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('refuses an id in the body that is not the one in the path', async () => {
    expect(await fieldsOf(putCampaign(w.manage, 'other', aCampaign()))).toEqual({
      id: 'must be "other", the campaign id in the path',
    });
  });

  it('replaces a draft over the version given, and refuses an older version with a conflict', async () => {
    await putCampaign(w.manage, 'winter-sale', aCampaign());
    expect(
      await putCampaign(w.manage, 'winter-sale', { ...aCampaign({ name: 'New' }), version: 1 }),
    ).toMatchObject({
      version: 2,
      definition: { name: 'New' },
    });
    await expect(putCampaign(w.manage, 'winter-sale', { ...aCampaign(), version: 1 })).rejects.toBeInstanceOf(
      ConflictError,
    );
  });

  it('validates the segment and templates it names, naming the fields', async () => {
    const report = await validateCampaign(
      w.manage,
      'winter-sale',
      aCampaign({
        audience: { segmentId: 'nobody' },
        channel: { kind: 'email', templateId: 'missing' },
        variants: [
          { id: 'a', weight: 1, subject: 'A' },
          { id: 'b', weight: 1, templateId: 'gone' },
        ],
      }),
    );
    expect(report.valid).toBe(false);
    expect(report.problems).toEqual([
      { path: 'audience.segmentId', message: 'unknown segment "nobody"' },
      { path: 'channel.templateId', message: 'unknown template "missing"' },
      { path: 'variants.1.templateId', message: 'unknown template "gone"' },
    ]);
    expect(await validateCampaign(w.manage, 'winter-sale', aCampaign())).toEqual({
      valid: true,
      problems: [],
    });
  });
});

describe('when a campaign goes through its lifecycle', () => {
  it('launches a `now` campaign as sending, filing its jobs, and refuses a second launch', async () => {
    await putCampaign(w.manage, 'winter-sale', aCampaign());
    const launched = await launchCampaign(w.manage, 'winter-sale', { version: 1 });
    expect(launched).toMatchObject({ status: 'sending', launchedAt: '2026-12-01T09:00:00.000Z', version: 2 });
    const jobs = (await getCampaign(w.manage, 'winter-sale')).jobs.map((job) => job.work.kind).sort();
    expect(jobs).toEqual(['campaign-finish', 'campaign-launch', 'campaign-send']);
    await expect(launchCampaign(w.manage, 'winter-sale', undefined)).rejects.toBeInstanceOf(ConflictError);
    await expect(putCampaign(w.manage, 'winter-sale', aCampaign())).rejects.toBeInstanceOf(ConflictError);
  });

  it('launches a campaign whose start lies ahead as scheduled', async () => {
    await putCampaign(
      w.manage,
      'winter-sale',
      aCampaign({ schedule: { kind: 'at', at: '2026-12-24T08:00:00Z' } }),
    );
    expect(await launchCampaign(w.manage, 'winter-sale', undefined)).toMatchObject({ status: 'scheduled' });
  });

  it('refuses to launch with a missing segment, naming the field, and stays a draft', async () => {
    await putCampaign(w.manage, 'winter-sale', aCampaign({ audience: { segmentId: 'nobody' } }));
    expect(await fieldsOf(launchCampaign(w.manage, 'winter-sale', undefined))).toEqual({
      'audience.segmentId': 'unknown segment "nobody"',
    });
    expect((await getCampaign(w.manage, 'winter-sale')).status).toBe('draft');
  });

  it('refuses a step over a version that is not the campaign’s with a conflict', async () => {
    await putCampaign(w.manage, 'winter-sale', aCampaign());
    await expect(launchCampaign(w.manage, 'winter-sale', { version: 7 })).rejects.toBeInstanceOf(
      ConflictError,
    );
    expect(await fieldsOf(launchCampaign(w.manage, 'winter-sale', { version: 'one' }))).toHaveProperty(
      'version',
    );
  });

  it('pauses, resumes to where it was, and cancels', async () => {
    await putCampaign(
      w.manage,
      'winter-sale',
      aCampaign({ schedule: { kind: 'at', at: '2026-12-24T08:00:00Z' } }),
    );
    await launchCampaign(w.manage, 'winter-sale', undefined);
    expect(await changeCampaignStatus(w.manage, 'winter-sale', 'pause', undefined)).toMatchObject({
      status: 'paused',
      pausedFrom: 'scheduled',
    });
    await expect(changeCampaignStatus(w.manage, 'winter-sale', 'pause', undefined)).rejects.toBeInstanceOf(
      ConflictError,
    );
    const resumed = await changeCampaignStatus(w.manage, 'winter-sale', 'resume', undefined);
    expect(resumed.status).toBe('scheduled');
    expect(resumed).not.toHaveProperty('pausedFrom');
    expect(await changeCampaignStatus(w.manage, 'winter-sale', 'cancel', undefined)).toMatchObject({
      status: 'cancelled',
    });
    await expect(changeCampaignStatus(w.manage, 'winter-sale', 'resume', undefined)).rejects.toBeInstanceOf(
      ConflictError,
    );
  });

  it('cancels a draft, but never a sent campaign', async () => {
    await putCampaign(w.manage, 'winter-sale', aCampaign());
    expect(await changeCampaignStatus(w.manage, 'winter-sale', 'cancel', undefined)).toMatchObject({
      status: 'cancelled',
    });
    await putCampaign(w.manage, 'sent-one', aCampaign({ id: 'sent-one' }));
    await launchCampaign(w.manage, 'sent-one', undefined);
    await w.runJobs();
    w.world.clock.advance(60 * 60_000);
    await w.runJobs();
    expect((await getCampaign(w.manage, 'sent-one')).status).toBe('sent');
    await expect(changeCampaignStatus(w.manage, 'sent-one', 'cancel', undefined)).rejects.toThrow(
      /sent already/,
    );
  });

  it('answers 404 for a campaign that does not exist', async () => {
    await expect(changeCampaignStatus(w.manage, 'nope', 'pause', undefined)).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });
});
