import { describe, expect, it } from 'vitest';
import type { Mailer, OutgoingEmail } from '../../lib/ports/mailer.js';
import { newId } from '../support/builders.js';

const anEmail = (): OutgoingEmail => ({
  from: 'Rapport <hello@rapport.test>',
  to: `${newId().toLowerCase()}@example.com`,
  subject: 'Welcome',
  html: '<p>Hello</p>',
  text: 'Hello',
  headers: [{ name: 'List-Unsubscribe', value: '<https://rapport.test/u>' }],
  tags: { journey: 'welcome', message: 'welcome_1_hello_1' },
});

/** Mailer: each accepted email answers the provider's own id for it. */
export const mailerContract = (name: string, make: () => Promise<Mailer>) =>
  describe(name, () => {
    it('answers a provider message id for each email, a different one each time', async () => {
      const mailer = await make();

      const first = await mailer.send(anEmail());
      const second = await mailer.send(anEmail());

      expect(first.providerMessageId).toEqual(expect.any(String));
      expect(first.providerMessageId).not.toBe('');
      expect(second.providerMessageId).not.toBe(first.providerMessageId);
    });
  });
