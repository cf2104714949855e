import { describe, expect, it } from 'vitest';
import { InvalidEnvironmentError, parseRuntimeEnv } from '../../../lib/config/runtime-env.js';

const required = {
  TABLE_NAME: 'rapport',
  AWS_REGION: 'eu-west-1',
  PUBLIC_BASE_URL: 'https://api.example.com',
  SENDER_EMAIL: 'Shop <news@example.com>',
  POSTAL_ADDRESS: '1 Example Street',
  ALLOWED_ORIGINS: 'https://www.example.com',
};

describe('the dead-letter settings in the runtime environment', () => {
  it('names no function and no queue when nothing is set, as locally', () => {
    const env = parseRuntimeEnv(required);

    expect(env.FUNCTION_NAMES).toEqual({});
    expect(env.DEAD_LETTER_QUEUES).toEqual([]);
  });

  it('reads the deployed names and the queues as the stack writes them', () => {
    const env = parseRuntimeEnv({
      ...required,
      FUNCTION_NAMES: '{"deliver":"Rapport-FunctionsDeliverFunction-Ab1"}',
      DEAD_LETTER_QUEUES:
        '[{"url":"https://sqs.eu-west-1.amazonaws.com/1/Streams"},{"url":"https://sqs.eu-west-1.amazonaws.com/1/Feedback","functionName":"ses-feedback"}]',
    });

    expect(env.FUNCTION_NAMES).toEqual({ deliver: 'Rapport-FunctionsDeliverFunction-Ab1' });
    expect(env.DEAD_LETTER_QUEUES).toEqual([
      { url: 'https://sqs.eu-west-1.amazonaws.com/1/Streams' },
      { url: 'https://sqs.eu-west-1.amazonaws.com/1/Feedback', functionName: 'ses-feedback' },
    ]);
  });

  it.each([
    ['FUNCTION_NAMES', '{deliver}', /FUNCTION_NAMES: must be JSON/],
    ['FUNCTION_NAMES', '{"Deliver":"x"}', /FUNCTION_NAMES\.Deliver: /],
    ['DEAD_LETTER_QUEUES', '[{"url":"not a url"}]', /DEAD_LETTER_QUEUES\.0\.url: /],
  ])('refuses %s=%s, naming where', (name, value, problem) => {
    expect(() => parseRuntimeEnv({ ...required, [name]: value })).toThrow(InvalidEnvironmentError);
    expect(() => parseRuntimeEnv({ ...required, [name]: value })).toThrow(problem);
  });
});
