import { expect } from 'vitest';
import { MemoryWorld } from '../../../../lib/adapters/memory/memory-world.js';
import { VirtualClock } from '../../../../lib/adapters/memory/virtual-clock.js';
import type { EmailTemplate } from '../../../../lib/domain/email-template.js';
import { ValidationError } from '../../../../lib/domain/errors.js';
import { adminStoresFor } from './worlds.js';

/** A clock the test moves by hand. */
export const manualClock = (start: string) => {
  const clock = new VirtualClock(start);
  return { clock, set: (at: string) => clock.set(at) };
};

/** The fields a rejected request names, by the ValidationError the use case throws. */
export const fieldsOf = async (promise: Promise<unknown>): Promise<Record<string, string>> => {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ValidationError);
  return error instanceof ValidationError ? error.fields : {};
};

/** The stores the admin use cases need, in a fresh world. */
export const adminStores = async () => adminStoresFor(new MemoryWorld({ start: '2026-11-01T09:00:00.000Z' }));

/** A journey definition as a marketer would send it: JSON, defaults left out. */
export const welcomeJson = (overrides: Record<string, unknown> = {}) => ({
  id: 'welcome',
  name: 'Welcome series',
  trigger: { event: 'signup_confirmed' },
  start: 'hello',
  nodes: [
    { id: 'hello', type: 'send_email', template: 'welcome-mail', next: 'pause' },
    { id: 'pause', type: 'wait', duration: 'P2D', next: 'done' },
    { id: 'done', type: 'exit' },
  ],
  ...overrides,
});

export const welcomeMail: EmailTemplate = {
  id: 'welcome-mail',
  kind: 'marketing',
  subject: 'Welcome, {{ contact.name | default: "reader" }}',
  text: 'Hello {{ contact.name }}, glad you are here.',
  mjml: '<mj-text>Hello {{ contact.name }}, glad you are here.</mj-text>',
};
