import { topicLabel } from '../templates/topic-label.js';
import { emailSuggestionScript } from './email-suggestion-script.js';
import { html, safeHref } from './html.js';
import { type InlineScript, inlineScript } from './inline-script.js';
import { page } from './page-layout.js';

export { maskEmail } from './mask-email.js';
export { topicLabel };

/**
 * Where forms post. Absent, actions are the site-root paths (`/v1/confirm`); behind
 * an API Gateway stage (`https://…/prod`) pass PUBLIC_BASE_URL so they keep the stage.
 */
interface FormTarget {
  baseUrl?: string;
}

const action = (target: FormTarget, path: string): string =>
  `${(target.baseUrl ?? '').replace(/\/+$/, '')}${path}`;

const tokenField = (token: string) => html`<input type="hidden" name="token" value="${token}">`;

/**
 * After a browser signup without a redirect. Worded the same for a new, known or
 * suppressed address, and it takes no address, so it cannot tell them apart.
 */
export const checkInboxPage = (): string =>
  page({
    title: 'Check your inbox',
    body: html`<h1>Check your inbox</h1>
<p>Thanks! If the address you entered can receive email from us, a message is on its way.</p>
<p>To finish signing up, open that email and press <strong>Confirm my subscription</strong>. Until you do, we will send you nothing else.</p>
<p class="muted">Nothing there after a few minutes? Look in your spam or promotions folder.</p>`,
  });

/**
 * GET /v1/confirm. Only a button that POSTs confirms: mail scanners follow links,
 * and a GET that confirmed would subscribe people who never clicked.
 */
export const confirmPage = ({ token, baseUrl }: { token: string } & FormTarget): string =>
  page({
    title: 'Confirm your subscription',
    noindex: true,
    body: html`<h1>Confirm your subscription</h1>
<p>One last step: press the button to confirm that you want to get our email.</p>
<form method="post" action="${action({ baseUrl }, '/v1/confirm')}">
${tokenField(token)}
<div class="actions"><button type="submit">Confirm my subscription</button></div>
</form>
<p class="muted">Didn't sign up? Just close this page. Nothing happens unless you press the button.</p>`,
  });

export const confirmedPage = ({ preferencesUrl }: { preferencesUrl: string }): string =>
  page({
    title: 'You are subscribed',
    noindex: true,
    body: html`<h1>You're subscribed. Thank you!</h1>
<p>Your subscription is confirmed. Watch your inbox for a welcome email.</p>
<p>You can choose your topics or leave at any time: every email has a link at the bottom.</p>
<p><a href="${safeHref(preferencesUrl, '/')}">Manage your preferences</a></p>`,
  });

export const alreadyConfirmedPage = (): string =>
  page({
    title: 'Already confirmed',
    noindex: true,
    body: html`<h1>You're already subscribed</h1>
<p>This subscription was confirmed before, so there is nothing more to do.</p>
<p class="muted">To change what you get, use the preferences link at the bottom of any of our emails.</p>`,
  });

/** GET /v1/unsubscribe: a button, never an action, for the same reason as confirmPage. */
export const unsubscribePage = ({
  token,
  maskedEmail,
  preferencesUrl,
  baseUrl,
}: { token: string; maskedEmail: string; preferencesUrl?: string } & FormTarget): string =>
  page({
    title: 'Unsubscribe',
    noindex: true,
    body: html`<h1>Unsubscribe</h1>
<p>Stop all marketing email to <strong>${maskedEmail}</strong>?</p>
<form method="post" action="${action({ baseUrl }, '/v1/unsubscribe')}">
${tokenField(token)}
<div class="actions"><button type="submit">Unsubscribe</button></div>
</form>
${
  preferencesUrl === undefined
    ? html`<p class="muted">Rather get fewer emails? Use the <strong>Manage preferences</strong> link in any of our emails to pick your topics.</p>`
    : html`<p class="muted">Rather get fewer emails? <a href="${safeHref(preferencesUrl, '/')}">Pick the topics you want</a> instead.</p>`
}`,
  });

export const unsubscribedPage = ({
  maskedEmail,
  preferencesUrl,
}: {
  maskedEmail: string;
  preferencesUrl: string;
}): string =>
  page({
    title: 'You are unsubscribed',
    noindex: true,
    body: html`<h1>You are unsubscribed</h1>
<p role="status"><strong>${maskedEmail}</strong> will receive no more marketing email from us.</p>
<p class="muted">We may still send a message you ask for yourself, such as a confirmation link.</p>
<p>Unsubscribed by mistake? <a href="${safeHref(preferencesUrl, '/')}">Choose topics to subscribe again</a>.</p>`,
  });

export interface PreferenceTopic {
  id: string;
  label: string;
  checked: boolean;
}

export const preferencesPage = ({
  token,
  maskedEmail,
  topics,
  subscribed,
  status,
  baseUrl,
}: {
  token: string;
  maskedEmail: string;
  topics: PreferenceTopic[];
  subscribed: boolean;
  /** What the last save did: changed the topics, or mailed a confirmation (not subscribed). */
  status?: 'saved' | 'confirmation-sent';
} & FormTarget): string =>
  page({
    title: 'Email preferences',
    noindex: true,
    body: html`<h1>Email preferences</h1>
${
  status === 'saved'
    ? html`<p class="status" role="status">Your preferences are saved.</p>`
    : status === 'confirmation-sent'
      ? html`<p class="status" role="status">We sent an email to <strong>${maskedEmail}</strong>. Click the link in it to confirm, and you will get the topics you picked.</p>`
      : ''
}
<p>For <strong>${maskedEmail}</strong>.</p>
${
  subscribed
    ? html`<p>Choose what you want to hear about.</p>`
    : html`<p>You are not subscribed to marketing email. To come back, pick your topics and press <strong>Save</strong>; we will email you a link to confirm.</p>`
}
<form method="post" action="${action({ baseUrl }, '/v1/preferences')}">
${tokenField(token)}
<fieldset>
<legend>Topics</legend>
${topics.map(
  (topic) =>
    html`<label class="check" for="topic-${topic.id}"><input type="checkbox" id="topic-${topic.id}" name="topics" value="${topic.id}"${topic.checked ? html` checked` : ''}> <span>${topic.label}</span></label>
`,
)}</fieldset>
<div class="actions">
<button type="submit" name="action" value="save">Save</button>
<button type="submit" name="action" value="unsubscribe-all" class="secondary">Unsubscribe from everything</button>
</div>
</form>`,
  });

export type TokenProblem = 'invalid' | 'expired' | 'no-longer-valid';

const tokenProblems: Record<TokenProblem, { title: string; explanation: string; instead: string }> = {
  invalid: {
    title: 'This link is not valid (it may have been cut off)',
    explanation: 'Some email programs break long links across lines, so part of it may be missing.',
    instead:
      'Open the email again and click the link or button there, or copy the whole link into your browser. You can also use the link in a more recent email from us.',
  },
  expired: {
    title: 'This link has expired',
    explanation: 'Links in our emails work for a limited time, to keep your subscription safe.',
    instead:
      'Use the link in a more recent email from us; every email has working unsubscribe and preferences links at the bottom. To subscribe, simply sign up again.',
  },
  'no-longer-valid': {
    title: 'This link no longer applies',
    explanation: 'Something changed since we sent it, for example you unsubscribed after signing up.',
    instead:
      'To subscribe again, sign up again. To change your topics, use the link in a more recent email from us.',
  },
};

export const tokenProblemPage = ({ problem }: { problem: TokenProblem }): string => {
  const wording = tokenProblems[problem];
  return page({
    title: wording.title,
    noindex: true,
    body: html`<h1>${wording.title}</h1>
<p>${wording.explanation}</p>
<p><strong>What to do instead:</strong> ${wording.instead}</p>`,
  });
};

/** For browser form posts with invalid input; JSON clients get the same `fields` as a 400 body. */
export const signupErrorPage = ({
  fields,
  backUrl,
}: {
  fields: Record<string, string>;
  backUrl?: string;
}): string =>
  page({
    title: 'Please check the form',
    noindex: true,
    body: html`<h1>Please check the form</h1>
<p>We could not sign you up yet. Please fix ${Object.keys(fields).length === 1 ? 'this' : 'these'} and send the form again:</p>
<dl class="errors" role="alert">
${Object.entries(fields).map(([field, problem]) => html`<dt>${field}</dt><dd>${problem}</dd>\n`)}</dl>
<p><a href="${safeHref(backUrl, '/')}">Back to the form</a> <span class="muted">(or use your browser's Back button to keep what you typed)</span></p>`,
  });

/**
 * For a browser's form post over a rate limit: nothing in the form is wrong, so this says
 * when to come back instead of asking for a fix. The wait is in the message and `Retry-After`.
 */
export const tryAgainLaterPage = ({ message }: { message: string }): string =>
  page({
    title: 'Please try again later',
    noindex: true,
    body: html`<h1>Please try again later</h1>
<p role="alert">We could not sign you up just now: ${message}.</p>
<p><a href="/">Back to the form</a> <span class="muted">(or use your browser's Back button to keep what you typed)</span></p>`,
  });

/**
 * Fills the form's hidden `timezone` field with the browser's zone, so quiet hours and
 * "09:00 their time" are theirs. The line a site copies beside its own hidden field; it
 * finds its own form, so a page may have several. Without script the field stays empty,
 * which the API reads as absent; `|| ''` keeps an old browser's missing zone empty too.
 */
export const timeZoneScript = inlineScript(
  "document.currentScript.closest('form').elements.timezone.value = Intl.DateTimeFormat().resolvedOptions().timeZone || '';",
);

/** The scripts the example signup page runs; whoever serves it lets them run in its CSP header too. */
export const exampleSignupPageScripts: readonly InlineScript[] = [timeZoneScript, emailSuggestionScript];

/**
 * The page served at `/`: a working signup form to copy into a real site. It needs no
 * JavaScript; with it, the person's time zone comes along, and a mistyped mail domain
 * (`gmial.com`) is caught before the form posts.
 */
export const exampleSignupPage = ({
  topics,
  wordingVersion,
  consentWording,
  baseUrl,
}: {
  topics: Array<{ id: string; label: string }>;
  wordingVersion: string;
  consentWording: string;
} & FormTarget): string =>
  page({
    title: 'Sign up – Rapport example',
    scripts: exampleSignupPageScripts,
    body: html`<h1>Get our emails</h1>
<p class="muted">This is Rapport's example signup page. It is a plain HTML form that posts to <code>/v1/signup</code>; copy it into your own site. After signing up you get an email with a link to confirm (double opt-in).</p>
<form method="post" action="${action({ baseUrl }, '/v1/signup')}" enctype="application/x-www-form-urlencoded">
<input type="hidden" name="form" value="example-page">
<input type="hidden" name="timezone">
${timeZoneScript.element}
<div class="field"><label for="email">Email address</label>
<input type="email" id="email" name="email" required autocomplete="email" inputmode="email" maxlength="254" aria-describedby="email-suggestion">
<div class="hint email-suggestion" id="email-suggestion" aria-live="polite"></div>
${emailSuggestionScript.element}</div>
<div class="field"><label for="name">Name <span class="hint">optional</span></label>
<input type="text" id="name" name="name" autocomplete="name" maxlength="100"></div>
<div class="field"><label for="phone">Mobile phone <span class="hint">optional, in international form, e.g. +14155550123</span></label>
<input type="tel" id="phone" name="phone" autocomplete="tel" placeholder="+14155550123"></div>
<fieldset>
<legend>What would you like to hear about?</legend>
${topics.map(
  (topic) =>
    html`<label class="check" for="topic-${topic.id}"><input type="checkbox" id="topic-${topic.id}" name="topics" value="${topic.id}"> <span>${topic.label}</span></label>
`,
)}</fieldset>
<div class="hp" aria-hidden="true"><label for="website">Leave this field empty</label>
<input type="text" id="website" name="website" tabindex="-1" autocomplete="off"></div>
<label class="check" for="consent" data-wording-version="${wordingVersion}"><input type="checkbox" id="consent" name="consent" value="yes" required> <span>${consentWording}</span></label>
<label class="check" for="sms_consent"><input type="checkbox" id="sms_consent" name="sms_consent" value="yes"> <span>Also text me at the number above. Reply STOP to any message to stop.</span></label>
<div class="actions"><button type="submit">Sign up</button></div>
</form>`,
  });
