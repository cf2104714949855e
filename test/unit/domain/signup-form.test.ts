import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../lib/domain/errors.js';
import { parseSignupForm } from '../../../lib/domain/signup-form.js';

const rules = { topics: ['newsletter', 'product-updates'], redirectOrigins: ['https://shop.example.com'] };

const fieldsOf = (input: unknown): Record<string, string> => {
  try {
    parseSignupForm(input, rules);
  } catch (error) {
    if (error instanceof ValidationError) return error.fields;
    throw error;
  }
  throw new Error('expected a ValidationError');
};

describe('the signup form', () => {
  it('accepts a form post with repeated topics and checkbox consent', () => {
    expect(
      parseSignupForm(
        {
          email: ' Ann@Example.com ',
          topics: ['newsletter', 'product-updates'],
          consent: 'on',
          form: 'footer',
        },
        rules,
      ),
    ).toMatchObject({ email: 'Ann@Example.com', topics: ['newsletter', 'product-updates'], form: 'footer' });
  });

  it('accepts JSON with consent true and a single topic as a string', () => {
    expect(
      parseSignupForm({ email: 'a@example.com', consent: true, topics: 'newsletter' }, rules).topics,
    ).toEqual(['newsletter']);
  });

  it('treats empty optional fields as absent', () => {
    const form = parseSignupForm(
      { email: 'a@example.com', consent: 'yes', name: '', phone: '', redirect: '' },
      rules,
    );
    expect(form.name).toBeUndefined();
    expect(form.phone).toBeUndefined();
    expect(form.redirect).toBeUndefined();
  });

  it('names every bad field at once', () => {
    expect(
      fieldsOf({
        email: 'not-an-address',
        consent: 'no',
        phone: '0123',
        topics: ['sports'],
        redirect: 'https://evil.example',
      }),
    ).toEqual({
      email: 'must be an email address',
      consent: 'must be affirmative (true, "on" or "yes")',
      phone: 'must be in E.164 form, e.g. +14155550123',
      topics: expect.stringContaining('unknown topic "sports"'),
      redirect: 'must point to an allowed origin',
    });
  });

  it('requires the email and the consent', () => {
    expect(fieldsOf({})).toEqual({
      email: 'is required',
      consent: 'must be affirmative (true, "on" or "yes")',
    });
  });

  it.each([null, [], 'email=a@example.com', 42])('rejects a body that is not an object: %j', (body) => {
    expect(fieldsOf(body)).toEqual({ body: 'must be a form or a JSON object' });
  });

  it('accepts a redirect to an allowed origin', () => {
    expect(
      parseSignupForm(
        { email: 'a@example.com', consent: true, redirect: 'https://shop.example.com/thanks' },
        rules,
      ).redirect,
    ).toBe('https://shop.example.com/thanks');
  });

  it('refuses javascript: redirects', () => {
    expect(
      fieldsOf({ email: 'a@example.com', consent: true, redirect: 'javascript:alert(1)' }),
    ).toHaveProperty('redirect');
  });
});

describe('when the redirect is not a URL at all', () => {
  it.each(['not a url', 'http://[::1', '//evil.example'])(
    'names the field instead of failing: %j',
    (redirect) => {
      expect(fieldsOf({ email: 'a@example.com', consent: true, redirect })).toHaveProperty('redirect');
    },
  );
});

describe('when a signup name holds control characters', () => {
  it.each([
    ['NUL', 'Ann\u0000Lee'],
    ['a right-to-left override', 'Ann\u202Egnp.exe'],
    ['a line break inside', 'Ann\r\nBcc: victim@example.com'],
    ['terminal escapes', '\u001b[31mAnn\u001b]0;title\u0007'],
  ])('refuses %s, naming the field', (_case, name) => {
    expect(fieldsOf({ email: 'a@example.com', consent: true, name })).toEqual({
      name: expect.stringContaining('control characters'),
    });
  });

  it('keeps letters from any script and emoji with joiners', () => {
    const name = 'Zoë 李 👩‍💻';
    expect(parseSignupForm({ email: 'a@example.com', consent: true, name }, rules).name).toBe(name);
  });
});

describe('when the form carries the browser’s time zone', () => {
  const withZone = (timezone: unknown) =>
    parseSignupForm({ email: 'a@example.com', consent: 'on', timezone }, rules).timezone;

  it('keeps a canonical IANA name', () => {
    expect(withZone('Europe/Berlin')).toBe('Europe/Berlin');
  });

  it.each(['US/Pacific', 'Asia/Calcutta', 'UTC'])('keeps %s, a name the runtime converts to', (zone) => {
    expect(withZone(zone)).toBe(zone);
  });

  it('treats an empty field (a page whose script did not run) as absent', () => {
    expect(withZone('')).toBeUndefined();
    expect(withZone('  ')).toBeUndefined();
    expect(withZone(undefined)).toBeUndefined();
  });

  it.each([
    ['an unknown zone', 'Mars/Olympus'],
    ['an offset', '+01:00'],
    ['what an old browser writes for a missing zone', 'undefined'],
    ['a repeated field', ['Europe/Berlin', 'Europe/Paris']],
  ])('refuses %s, naming timezone', (_case, timezone) => {
    expect(fieldsOf({ email: 'a@example.com', consent: 'on', timezone })).toEqual({
      timezone: 'must be an IANA time zone such as Europe/Berlin',
    });
  });
});

describe('when the address is a role address', () => {
  it.each([
    ['postmaster@example.com', 'postmaster@'],
    ['Abuse@Example.com', 'abuse@'],
    ['noreply+shop@example.com', 'noreply@'],
    ['no-reply@example.com', 'no-reply@'],
    ['mailer-daemon@example.com', 'mailer-daemon@'],
  ])('refuses %s, naming email and the role', (email, role) => {
    expect(fieldsOf({ email, consent: true })).toEqual({
      email: `is a role address (${role}); sign up with a personal address`,
    });
  });

  it.each(['info@example.com', 'support@example.com', 'postmasters@example.com'])(
    'takes %s, a mailbox a person may read',
    (email) => {
      expect(parseSignupForm({ email, consent: true }, rules).email).toBe(email);
    },
  );

  it('still names a malformed address as malformed', () => {
    expect(fieldsOf({ email: 'postmaster@', consent: true })).toEqual({ email: 'must be an email address' });
  });
});

describe('when the address is at a disposable-mail domain', () => {
  const refusing = { ...rules, disposableDomains: new Set(['mailinator.com']) };
  const refusalOf = (email: string) => {
    try {
      parseSignupForm({ email, consent: true }, refusing);
    } catch (error) {
      if (error instanceof ValidationError) return error.fields;
      throw error;
    }
    return undefined;
  };

  it('takes it when the deployment refuses none (the default)', () => {
    expect(parseSignupForm({ email: 'ann@mailinator.com', consent: true }, rules).email).toBe(
      'ann@mailinator.com',
    );
  });

  it('refuses it when the deployment lists the domain, naming email and the domain', () => {
    expect(refusalOf('ann@mailinator.com')).toEqual({
      email: 'uses a disposable-mail domain (mailinator.com); sign up with an address you keep',
    });
  });

  it('refuses a subdomain of a listed domain', () => {
    expect(refusalOf('ann@eu.MAILINATOR.com')).toEqual({
      email: 'uses a disposable-mail domain (mailinator.com); sign up with an address you keep',
    });
  });

  it('takes every other domain', () => {
    expect(refusalOf('ann@example.com')).toBeUndefined();
  });
});
