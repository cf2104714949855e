import { describe, expect, it } from 'vitest';
import { InvalidStackConfigError } from '../../infra/cloud/stack-config.js';
import { functionEnvironment, synthRapport } from './synth-rapport.js';

/** The environment the journey-jobs function is deployed with. */
const journeyJobsEnvironment = (context: Record<string, unknown>) =>
  functionEnvironment('journey-jobs', context);

describe('the rate of a product launch in the cloud', () => {
  it('is the functions’ own default unless the context sets it', () => {
    expect(journeyJobsEnvironment({})).not.toHaveProperty('FANOUT_EVENTS_PER_MINUTE');
  });

  it('reaches the journey-jobs function from rapport:fanOutEventsPerMinute', () => {
    expect(journeyJobsEnvironment({ 'rapport:fanOutEventsPerMinute': '120' })).toMatchObject({
      FANOUT_EVENTS_PER_MINUTE: '120',
    });
  });

  it('fails synth for a rate that is not a whole number of at least 1, naming the key', () => {
    for (const rate of ['0', 'fast', '2.5']) {
      const synth = () => synthRapport({ context: { 'rapport:fanOutEventsPerMinute': rate } });
      expect(synth).toThrow(InvalidStackConfigError);
      expect(synth).toThrow(/rapport:fanOutEventsPerMinute/);
    }
  });
});
