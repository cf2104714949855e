import { describe, expect, it } from 'vitest';
import type { OutgoingSms, Texter } from '../../lib/ports/texter.js';

let next = 5_550_300;
const aNumber = (): string => {
  next += 1;
  return `+1206${next}`;
};

const anSms = (to: string): OutgoingSms => ({
  to,
  body: 'Your ink is running low. Reply STOP to opt out.',
  senderId: 'Rapport',
  smsType: 'Promotional',
});

/** Texter: each text answers the provider's id; the provider's opt-out list is read per number. */
export const texterContract = (
  name: string,
  make: () => Promise<{ texter: Texter; optOut: (phoneNumber: string) => void }>,
) =>
  describe(name, () => {
    it('answers a provider message id for each text, a different one each time', async () => {
      const { texter } = await make();

      const first = await texter.send(anSms(aNumber()));
      const second = await texter.send(anSms(aNumber()));

      expect(first.providerMessageId).not.toBe('');
      expect(second.providerMessageId).not.toBe(first.providerMessageId);
    });

    it('knows a number is opted out only once the carrier’s STOP is on its list', async () => {
      const { texter, optOut } = await make();
      const number = aNumber();

      expect(await texter.isOptedOut(number)).toBe(false);
      optOut(number);
      expect(await texter.isOptedOut(number)).toBe(true);
      expect(await texter.isOptedOut(aNumber())).toBe(false);
    });
  });
