import { describe, expect, it } from 'vitest';
import { InvalidStackConfigError } from '../../infra/cloud/stack-config.js';
import { RuntimeEnv } from '../../lib/config/runtime-env.js';
import { functionEnvironment, synthRapport } from './synth-rapport.js';

/** The environment the journey-jobs function (which files campaign messages at their slots) is deployed with. */
const journeyJobsEnvironment = (context: Record<string, unknown>) =>
  functionEnvironment('journey-jobs', context);

describe('the pace of a campaign in the cloud', () => {
  it('is the functions’ own default (14 a second) unless the context sets it', () => {
    expect(journeyJobsEnvironment({})).not.toHaveProperty('CAMPAIGN_SEND_RATE');
    const env = RuntimeEnv.parse({
      TABLE_NAME: 't',
      AWS_REGION: 'eu-west-1',
      PUBLIC_BASE_URL: 'https://example.com',
      SENDER_EMAIL: 'a@example.com',
      POSTAL_ADDRESS: '1 Main Street',
      ALLOWED_ORIGINS: 'https://example.com',
    });
    expect(env.CAMPAIGN_SEND_RATE).toBe(14);
  });

  it('reaches the journey-jobs function from rapport:campaignSendRate', () => {
    expect(journeyJobsEnvironment({ 'rapport:campaignSendRate': '50' })).toMatchObject({
      CAMPAIGN_SEND_RATE: '50',
    });
  });

  it('fails synth for a rate that is not a positive number, naming the key', () => {
    for (const rate of ['0', 'fast', '-2']) {
      const synth = () => synthRapport({ context: { 'rapport:campaignSendRate': rate } });
      expect(synth).toThrow(InvalidStackConfigError);
      expect(synth).toThrow(/rapport:campaignSendRate/);
    }
  });
});
