import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../lib/domain/errors.js';
import { parseSignupForm } from '../../../lib/domain/signup-form.js';

const rules = { topics: ['newsletter'], redirectOrigins: [] };

const fieldsOf = (input: unknown): Record<string, string> => {
  try {
    parseSignupForm(input, rules);
  } catch (error) {
    if (error instanceof ValidationError) return error.fields;
    throw error;
  }
  throw new Error('expected a ValidationError');
};

const base = { email: 'ann@example.com', consent: 'on' };

describe('SMS consent on the signup form', () => {
  it('accepts a ticked SMS checkbox with a phone number', () => {
    expect(parseSignupForm({ ...base, phone: '+14155550123', sms_consent: 'on' }, rules)).toMatchObject({
      phone: '+14155550123',
      sms_consent: 'on',
    });
  });

  it('accepts JSON true', () => {
    expect(parseSignupForm({ ...base, phone: '+14155550123', sms_consent: true }, rules).sms_consent).toBe(
      true,
    );
  });

  it('is optional: without it there is no SMS consent, even with a phone', () => {
    expect(parseSignupForm({ ...base, phone: '+14155550123' }, rules).sms_consent).toBeUndefined();
  });

  it('reads JSON false as no SMS consent, not as an error', () => {
    expect(parseSignupForm({ ...base, sms_consent: false }, rules).sms_consent).toBeUndefined();
  });

  describe('when SMS consent is given without a phone number', () => {
    it('answers 400 naming the phone field', () => {
      expect(fieldsOf({ ...base, sms_consent: 'on' })).toEqual({ phone: 'is required to agree to SMS' });
    });

    it('treats an empty phone as missing', () => {
      expect(fieldsOf({ ...base, phone: '  ', sms_consent: 'yes' })).toHaveProperty('phone');
    });
  });

  it('refuses a value that is not affirmative', () => {
    expect(fieldsOf({ ...base, phone: '+14155550123', sms_consent: 'maybe' })).toHaveProperty('sms_consent');
  });

  it('still names a malformed phone number', () => {
    expect(fieldsOf({ ...base, phone: '555-0123', sms_consent: 'on' }).phone).toMatch(/E\.164/);
  });
});
