import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { consentWording } from '../../../lib/web/consent-wording.js';
import { emailSuggestionScript } from '../../../lib/web/email-suggestion-script.js';
import {
  alreadyConfirmedPage,
  checkInboxPage,
  confirmedPage,
  confirmPage,
  exampleSignupPage,
  exampleSignupPageScripts,
  maskEmail,
  preferencesPage,
  signupErrorPage,
  timeZoneScript,
  tokenProblemPage,
  topicLabel,
  unsubscribedPage,
  unsubscribePage,
} from '../../../lib/web/pages.js';

const hostile = '"><script>alert(1)</script>';
const escapedHostile = '&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;';
const token = 'eyJwIjoiY29uZmlybSJ9.c2lnbmF0dXJl';
const preferencesUrl = 'https://mail.example.com/v1/preferences?token=prf.sig';
const topics = [
  { id: 'newsletter', label: 'Newsletter' },
  { id: 'product-updates', label: 'Product updates' },
];

const allPages = (): Array<[string, string]> => [
  ['check inbox', checkInboxPage()],
  ['confirm', confirmPage({ token })],
  ['confirmed', confirmedPage({ preferencesUrl })],
  ['already confirmed', alreadyConfirmedPage()],
  ['unsubscribe', unsubscribePage({ token, maskedEmail: 'a***@example.com', preferencesUrl })],
  ['unsubscribed', unsubscribedPage({ maskedEmail: 'a***@example.com', preferencesUrl })],
  ['preferences', preferencesPage({ token, maskedEmail: 'a***@example.com', subscribed: true, topics: [] })],
  ['invalid token', tokenProblemPage({ problem: 'invalid' })],
  ['signup error', signupErrorPage({ fields: { email: 'is required' } })],
  [
    'example signup',
    exampleSignupPage({
      topics,
      wordingVersion: consentWording.version,
      consentWording: consentWording.text,
    }),
  ],
];

/** The opening `<form …>` tag through its closing tag, or undefined. */
const formPostingTo = (page: string, action: string): string | undefined =>
  new RegExp(`<form method="post" action="${action}"[^>]*>[\\s\\S]*?</form>`).exec(page)?.[0];

describe('public pages', () => {
  it.each(allPages())('the %s page is a complete document with no external resource', (_name, page) => {
    expect(page.startsWith('<!doctype html>')).toBe(true);
    expect(page).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(page).toMatch(/<title>[^<]+<\/title>/);
    expect(page).not.toMatch(/<link|\ssrc=|@import|url\(/i);
  });

  it.each(allPages().filter(([name]) => name !== 'example signup'))(
    'the %s page has no script, and its CSP allows none',
    (_name, page) => {
      expect(page).not.toMatch(/<script/i);
      expect(page).not.toContain('script-src');
    },
  );

  it.each(allPages().filter(([name]) => name !== 'example signup' && name !== 'check inbox'))(
    'keeps the %s page out of search engines',
    (_name, page) => {
      expect(page).toContain('<meta name="robots" content="noindex">');
    },
  );

  describe('escaping', () => {
    it('escapes the token in hidden fields', () => {
      const page = confirmPage({ token: hostile });
      expect(page).toContain(`<input type="hidden" name="token" value="${escapedHostile}">`);
      expect(page).not.toContain(hostile);
    });

    it('escapes the masked address and topic labels', () => {
      const page = preferencesPage({
        token,
        maskedEmail: hostile,
        subscribed: true,
        topics: [{ id: 'news', label: hostile, checked: false }],
      });
      expect(page).toContain(`<strong>${escapedHostile}</strong>`);
      expect(page).toContain(`<span>${escapedHostile}</span>`);
      expect(page).not.toContain(hostile);
    });

    it('escapes field names and problems on the signup error page', () => {
      const page = signupErrorPage({ fields: { [hostile]: hostile } });
      expect(page).toContain(`<dt>${escapedHostile}</dt><dd>${escapedHostile}</dd>`);
      expect(page).not.toContain(hostile);
    });

    it('does not link to a javascript: URL', () => {
      expect(signupErrorPage({ fields: {}, backUrl: 'javascript:alert(1)' })).not.toContain('javascript:');
      expect(confirmedPage({ preferencesUrl: 'javascript:alert(1)' })).not.toContain('javascript:');
    });
  });

  describe('the confirm page (GET /v1/confirm)', () => {
    it('confirms only through a POST form carrying the token', () => {
      const form = formPostingTo(confirmPage({ token }), '/v1/confirm');
      expect(form).toContain(`<input type="hidden" name="token" value="${token}">`);
      expect(form).toContain('<button type="submit">Confirm my subscription</button>');
    });

    it('posts to the public base URL when given one', () => {
      const page = confirmPage({ token, baseUrl: 'https://abc.execute-api.eu-west-1.amazonaws.com/prod/' });
      expect(
        formPostingTo(page, 'https://abc.execute-api.eu-west-1.amazonaws.com/prod/v1/confirm'),
      ).toBeDefined();
    });
  });

  describe('the unsubscribe page (GET /v1/unsubscribe)', () => {
    const page = unsubscribePage({ token, maskedEmail: 'a***@example.com', preferencesUrl });

    it('unsubscribes only through a POST form carrying the token', () => {
      const form = formPostingTo(page, '/v1/unsubscribe');
      expect(form).toContain(`<input type="hidden" name="token" value="${token}">`);
      expect(form).toContain('<button type="submit">Unsubscribe</button>');
    });

    it('names the masked address and links to the preferences', () => {
      expect(page).toContain('a***@example.com');
      expect(page).toContain(`href="${preferencesUrl}"`);
    });
  });

  describe('the unsubscribed page', () => {
    it('says no more marketing email will come', () => {
      const page = unsubscribedPage({ maskedEmail: 'a***@example.com', preferencesUrl });
      expect(page).toContain('You are unsubscribed');
      expect(page).toContain('will receive no more marketing email');
    });
  });

  describe('the preferences page', () => {
    const page = preferencesPage({
      token,
      maskedEmail: 'a***@example.com',
      subscribed: true,
      status: 'saved',
      topics: [
        { id: 'newsletter', label: 'Newsletter', checked: true },
        { id: 'product-updates', label: 'Product updates', checked: false },
      ],
    });

    it('has a checkbox per topic, checked as the contact holds them', () => {
      const form = formPostingTo(page, '/v1/preferences');
      expect(form).toContain('name="topics" value="newsletter" checked>');
      expect(form).toContain('name="topics" value="product-updates">');
      expect(form).toContain(`<input type="hidden" name="token" value="${token}">`);
    });

    it('offers saving and unsubscribing from everything', () => {
      expect(page).toContain('name="action" value="save"');
      expect(page).toContain('name="action" value="unsubscribe-all"');
    });

    it('confirms a save', () => {
      expect(page).toContain('Your preferences are saved.');
    });

    it('tells an unsubscribed contact how to come back', () => {
      const unsubscribed = preferencesPage({
        token,
        maskedEmail: 'a***@example.com',
        subscribed: false,
        topics: [],
      });
      expect(unsubscribed).toContain('You are not subscribed to marketing email');
      expect(unsubscribed).toContain('we will email you a link to confirm');
      expect(unsubscribed).not.toContain('Your preferences are saved.');
    });

    it('tells someone who asked to come back that a confirmation is on its way', () => {
      const asked = preferencesPage({
        token,
        maskedEmail: 'a***@example.com',
        subscribed: false,
        status: 'confirmation-sent',
        topics: [],
      });
      expect(asked).toContain('We sent an email to <strong>a***@example.com</strong>');
      expect(asked).not.toContain('Your preferences are saved.');
    });
  });

  describe('the token problem page', () => {
    it('says an invalid link may have been cut off', () => {
      expect(tokenProblemPage({ problem: 'invalid' })).toContain(
        'This link is not valid (it may have been cut off)',
      );
    });

    it('says an expired link has expired and what to do instead', () => {
      const page = tokenProblemPage({ problem: 'expired' });
      expect(page).toContain('This link has expired');
      expect(page).toContain('What to do instead:');
    });
  });

  describe('the check-your-inbox page', () => {
    it('reads the same for every address, because it is given none', () => {
      expect(checkInboxPage()).toBe(checkInboxPage());
      expect(checkInboxPage()).toContain('Check your inbox');
    });
  });

  describe('the example signup page', () => {
    const page = exampleSignupPage({
      topics,
      wordingVersion: consentWording.version,
      consentWording: consentWording.text,
    });
    const form = formPostingTo(page, '/v1/signup') ?? '';

    it('is a form posting to /v1/signup', () => {
      expect(form).toContain('<input type="email" id="email" name="email" required');
      expect(form).toContain('name="name"');
      expect(form).toContain('name="phone"');
      expect(form).toContain('<input type="hidden" name="form" value="example-page">');
    });

    it('has a checkbox per topic', () => {
      expect(form).toContain('name="topics" value="newsletter"');
      expect(form).toContain('name="topics" value="product-updates"');
    });

    it('has the consent checkbox with its wording next to it', () => {
      expect(form).toMatch(
        /<input type="checkbox" id="consent" name="consent" value="yes" required> <span>Yes, send me the emails I picked above\./,
      );
      expect(form).toContain('data-wording-version="signup-v1"');
    });

    it('hides the honeypot from people and keyboards', () => {
      expect(form).toMatch(
        /<div class="hp" aria-hidden="true">[\s\S]*?name="website" tabindex="-1" autocomplete="off">/,
      );
      expect(page).toMatch(/\.hp \{ position: absolute; left: -10000px;/);
    });

    it('labels every visible input', () => {
      for (const id of ['email', 'name', 'phone', 'consent', 'topic-newsletter', 'topic-product-updates']) {
        expect(form).toMatch(new RegExp(`<label [^>]*for="${id}"`));
        expect(form).toContain(`id="${id}"`);
      }
    });

    describe('and the time zone', () => {
      const scripts = [...page.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((match) => match[1] ?? '');
      const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
      const metaPolicy = (
        /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(page)?.[1] ?? ''
      ).replaceAll('&#39;', "'");

      it('has an empty hidden timezone field in the form, so without script none is sent', () => {
        expect(form).toContain('<input type="hidden" name="timezone">');
      });

      it('fills it from the browser with one line of script inside the form', () => {
        expect(scripts[0]).toBe(
          "document.currentScript.closest('form').elements.timezone.value = Intl.DateTimeFormat().resolvedOptions().timeZone || '';",
        );
        expect(form).toContain(timeZoneScript.element.value);
      });

      it('lets exactly its scripts run, by their hashes, never by unsafe-inline', () => {
        const hashes = scripts.map(sha256);
        expect(scripts).toHaveLength(2);
        expect(/script-src ([^;]*);/.exec(metaPolicy)?.[1]).toBe(hashes.join(' '));
        expect(metaPolicy).toMatch(/^default-src 'none'; script-src/);
        expect(exampleSignupPageScripts.map((script) => script.hash)).toEqual(hashes);
      });
    });

    describe('and a mistyped email domain', () => {
      it('runs the offer to fix it inside the form, after the email field', () => {
        expect(form).toMatch(
          /<input type="email" id="email"[^>]*aria-describedby="email-suggestion">\n<div class="hint email-suggestion" id="email-suggestion" aria-live="polite"><\/div>\n<script>\(function \(suggest, domains\)/,
        );
        expect(form).toContain(emailSuggestionScript.element.value);
      });
    });
  });
});

describe('maskEmail', () => {
  it('keeps the first letter and the domain', () => {
    expect(maskEmail('jane.doe@example.com')).toBe('j***@example.com');
  });

  it('hides something that is not an address entirely', () => {
    expect(maskEmail('nonsense')).toBe('***');
  });
});

describe('topicLabel', () => {
  it('turns a topic id into words', () => {
    expect(topicLabel('product-updates')).toBe('Product updates');
    expect(topicLabel('newsletter')).toBe('Newsletter');
  });
});

describe('the example signup page and SMS', () => {
  it('asks for SMS consent separately, unticked, next to the phone field', () => {
    const page = exampleSignupPage({ topics: [], wordingVersion: 'v1', consentWording: 'Yes.' });
    expect(page).toMatch(/<input type="checkbox" id="sms_consent" name="sms_consent" value="yes">/);
    expect(page).not.toMatch(/id="sms_consent"[^>]*checked/);
  });
});
