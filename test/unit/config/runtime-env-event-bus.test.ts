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

describe('the event bus settings in the runtime environment', () => {
  it('puts events on the default bus, through AWS, when nothing is set', () => {
    const env = parseRuntimeEnv(required);

    expect(env.EVENT_BUS_NAME).toBe('default');
    expect(env.EVENTBRIDGE_ENDPOINT).toBeUndefined();
  });

  it.each([
    ['a name', 'rapport'],
    ['an ARN', 'arn:aws:events:eu-west-1:123456789012:event-bus/rapport'],
  ])('takes the bus as %s', (_kind, bus) => {
    expect(parseRuntimeEnv({ ...required, EVENT_BUS_NAME: bus }).EVENT_BUS_NAME).toBe(bus);
  });

  it('refuses a bus name EventBridge would refuse, naming the variable', () => {
    const parse = () => parseRuntimeEnv({ ...required, EVENT_BUS_NAME: 'my bus' });

    expect(parse).toThrow(InvalidEnvironmentError);
    expect(parse).toThrow(/EVENT_BUS_NAME: must be an event bus name/);
  });

  it('refuses a local endpoint that is not a URL', () => {
    expect(() => parseRuntimeEnv({ ...required, EVENTBRIDGE_ENDPOINT: '127.0.0.1:8007' })).toThrow(
      /EVENTBRIDGE_ENDPOINT/,
    );
  });
});
