import { callerKey } from '../domain/caller-key.js';
import type { ConfirmationLimits } from '../domain/confirmation-limits.js';
import { applyConsentCommand } from '../domain/consent.js';
import type { ConsentEntry, ConsentSource } from '../domain/consent-entry.js';
import type { Channel, Contact } from '../domain/contact.js';
import { normalizeEmail } from '../domain/contact.js';
import { ContactExistsError, TooManyRequestsError } from '../domain/errors.js';
import type { SignupForm, SignupFormRules } from '../domain/signup-form.js';
import { parseSignupForm, signupFormSchema } from '../domain/signup-form.js';
import type { Clock } from '../ports/clock.js';
import type { ContactStore } from '../ports/contact-store.js';
import type { IdGenerator } from '../ports/id-generator.js';
import type { PhoneDirectory } from '../ports/phone-directory.js';
import type { RateLimit, RateLimiter } from '../ports/rate-limiter.js';
import type { SuppressionStore } from '../ports/suppression-store.js';
import { confirmationMessage } from './confirmation-message.js';
import { type AudienceCounterDeps, countAudience } from './count-audience.js';
import { retryOnConflict } from './retry-on-conflict.js';

export interface SignUpDeps {
  contacts: ContactStore;
  /** Where a contact's number is filed for inbound SMS (STOP). */
  phones: PhoneDirectory;
  suppressions: SuppressionStore;
  clock: Clock;
  ids: IdGenerator;
  /** Today's `audience` signups. */
  stats: AudienceCounterDeps['stats'];
  rateLimiter: RateLimiter;
  settings: SignupFormRules & {
    rateLimits: SignupRateLimits;
    wordingVersion: string;
    /** How often the form may mail one address asking for confirmation. */
    confirmationLimits: ConfirmationLimits;
  };
}

export interface SignupRateLimits {
  /** Signups from one IP address: an office or a household shares one, a bot hammering the form too. */
  perIp: RateLimit;
  /** Signups through one form (`form`, or the default), however many addresses they come from. */
  perForm: RateLimit;
}

export interface SignUpRequest {
  body: unknown;
  /** Where the request came from; the form's own id and time zone are added from the form. */
  source: Omit<ConsentSource, 'kind' | 'form' | 'timeZone'>;
}

/**
 * What the caller may show. Deliberately the same whatever happened to the address
 * (new, pending, subscribed, suppressed, or a bot in the honeypot), so the
 * response cannot be used to find out who is on the list.
 */
export interface SignUpResult {
  redirect: string | undefined;
}

export const signUp = async (deps: SignUpDeps, request: SignUpRequest): Promise<SignUpResult> => {
  const now = deps.clock.now();
  const { rateLimits } = deps.settings;
  if (request.source.ip !== undefined)
    await takeOrRefuse(
      deps,
      callerKey('signup-ip', request.source.ip),
      rateLimits.perIp,
      now,
      'too many signups from this network',
    );
  if (honeypotFilled(request.body)) return { redirect: safeRedirect(request.body, deps.settings) };
  const form = parseSignupForm(request.body, deps.settings);
  await takeOrRefuse(
    deps,
    `signup-form:${form.form ?? 'default'}`,
    rateLimits.perForm,
    now,
    'this form is taking too many signups',
  );
  const result = { redirect: form.redirect };

  const email = normalizeEmail(form.email);
  if (await deps.suppressions.isSuppressed('email', email, now)) return result;

  // A signup counts when an address becomes pending: a new contact, or one who had left and asks again.
  const joined = await retryOnConflict(async () => {
    const existingId = await deps.contacts.findIdByEmail(email);
    if (existingId === undefined) {
      try {
        await createPendingContact(deps, form, email, request);
        return true;
      } catch (error) {
        // Two signups for one new address raced; the loser continues as "existing".
        if (!(error instanceof ContactExistsError)) throw error;
      }
    }
    const contactId = existingId ?? (await deps.contacts.findIdByEmail(email));
    const contact = contactId === undefined ? undefined : await deps.contacts.get(contactId);
    if (contact === undefined)
      throw new Error(`email identity for a missing contact (${contactId ?? 'unknown'})`);
    return requestAgain(deps, form, contact, request);
  });
  if (joined) await countAudience(deps, 'signup');
  return result;
};

/**
 * Counts the request against one limit, or refuses it with when to come back. The refusal
 * says nothing of any address: it is about who calls, not whom they name.
 */
const takeOrRefuse = async (
  deps: SignUpDeps,
  key: string,
  rate: RateLimit,
  now: Date,
  what: string,
): Promise<void> => {
  const decision = await deps.rateLimiter.take(key, rate, now);
  if (decision.allowed) return;
  const minutes = Math.ceil(decision.retryAfterSeconds / 60);
  throw new TooManyRequestsError(
    `${what}; please try again in ${minutes} minute${minutes === 1 ? '' : 's'}`,
    decision.retryAfterSeconds,
  );
};

const fieldOf = (body: unknown, name: string): unknown =>
  typeof body === 'object' && body !== null ? Object.getOwnPropertyDescriptor(body, name)?.value : undefined;

/** Checked before validation: a bot gets the answer a person gets, whatever else it filled in. */
const honeypotFilled = (body: unknown): boolean => {
  const value = fieldOf(body, 'website');
  return (typeof value === 'string' && value.trim() !== '') || (Array.isArray(value) && value.length > 0);
};

const safeRedirect = (body: unknown, rules: SignupFormRules): string | undefined => {
  const redirect = signupFormSchema(rules).shape.redirect.safeParse(fieldOf(body, 'redirect'));
  return redirect.success ? redirect.data : undefined;
};

const consentRequest = (
  deps: SignUpDeps,
  form: SignupForm,
  contactId: string,
  now: Date,
  request: SignUpRequest,
  channel: Channel = 'email',
): ConsentEntry => ({
  id: deps.ids.next(),
  contactId,
  at: now.toISOString(),
  channel,
  action: 'requested',
  // Topics are an email notion; SMS consent is for the channel as a whole.
  topics: channel === 'email' ? form.topics : [],
  source: {
    kind: 'signup-form',
    ...request.source,
    ...(form.form === undefined ? {} : { form: form.form }),
    ...(form.timezone === undefined ? {} : { timeZone: form.timezone }),
  },
  wordingVersion: deps.settings.wordingVersion,
  ...(utmOf(form) === undefined ? {} : { utm: utmOf(form) }),
});

const utmOf = (form: SignupForm): ConsentEntry['utm'] => {
  const utm = {
    ...(form.utm_source === undefined ? {} : { source: form.utm_source }),
    ...(form.utm_medium === undefined ? {} : { medium: form.utm_medium }),
    ...(form.utm_campaign === undefined ? {} : { campaign: form.utm_campaign }),
  };
  return Object.keys(utm).length === 0 ? undefined : utm;
};

const createPendingContact = async (
  deps: SignUpDeps,
  form: SignupForm,
  email: string,
  request: SignUpRequest,
): Promise<void> => {
  const now = deps.clock.now();
  const at = now.toISOString();
  const contactId = deps.ids.next();
  const consent = consentRequest(deps, form, contactId, now, request);
  const smsConsent = wantsSms(form) ? consentRequest(deps, form, contactId, now, request, 'sms') : undefined;
  const utm = utmOf(form);
  const contact: Contact = {
    id: contactId,
    email,
    ...(form.name === undefined ? {} : { name: form.name }),
    ...(form.phone === undefined ? {} : { phone: form.phone }),
    ...(form.timezone === undefined ? {} : { timeZone: form.timezone }),
    consent: {
      email: { status: 'pending', changedAt: at },
      sms: { status: smsConsent === undefined ? 'none' : 'pending', changedAt: at },
    },
    topics: [],
    pendingTopics: form.topics,
    attributes: {},
    acquisition: {
      ...(form.form === undefined ? {} : { form: form.form }),
      ...(request.source.page === undefined ? {} : { page: request.source.page }),
      ...(utm === undefined ? {} : { utm }),
      at,
    },
    confirmationRequestedAt: at,
    unansweredConfirmations: 1,
    // The profile's first engagement. Posting a known address again is none: anyone can post
    // an address, and that must not hold off a subscriber's sunset.
    lastEngagedAt: at,
    createdAt: at,
    updatedAt: at,
    version: 1,
  };
  await deps.contacts.create({
    contact,
    consent,
    ...(smsConsent === undefined ? {} : { additionalConsent: [smsConsent] }),
    messages: [confirmationMessage(contactId, consent.id, now)],
  });
  if (form.phone !== undefined) await deps.phones.claimPhone(form.phone, contactId);
};

/**
 * Whether the form may mail this address once more. Someone hammering the form must not
 * turn us into a mail cannon aimed at a stranger's inbox: whatever the consent state
 * (pending, or unsubscribed and asking back), one confirmation per wait, and none once
 * the limit of unanswered ones is reached. The caller's answer is the same either way.
 */
const mayAskAgain = (contact: Contact, now: Date, limits: ConfirmationLimits): boolean => {
  const lastAsked = contact.confirmationRequestedAt;
  if (lastAsked !== undefined && now.getTime() - Date.parse(lastAsked) < limits.resendAfterMs) return false;
  return (contact.unansweredConfirmations ?? 0) < limits.maxUnanswered;
};

/** sms_consent requires a phone (the form schema says so); the check here narrows the type. */
const wantsSms = (form: SignupForm): form is SignupForm & { phone: string } =>
  form.sms_consent !== undefined && form.phone !== undefined;

/**
 * A signup for a known address; true when the address was not pending before. It writes only when it asks for confirmation again
 * (pending past the resend wait, unsubscribed, or never asked); then the form's topics,
 * SMS number and time zone replace the stored ones. A form without a time zone keeps
 * the stored one. A subscribed contact is left as it is, time zone included: anyone can
 * post an address, so a subscriber's zone changes only through the shop's identify call.
 */
const requestAgain = async (
  deps: SignUpDeps,
  form: SignupForm,
  contact: Contact,
  request: SignUpRequest,
): Promise<boolean> => {
  const transition = applyConsentCommand(contact.consent.email.status, 'request');
  if (transition.outcome === 'refused' || transition.status === 'subscribed') return false;
  const now = deps.clock.now();
  if (!mayAskAgain(contact, now, deps.settings.confirmationLimits)) return false;
  const at = now.toISOString();
  const consent = consentRequest(deps, form, contact.id, now, request);
  // Asking again with SMS consent asks for SMS too; the number given now is the one to text.
  const sms = wantsSms(form) ? applyConsentCommand(contact.consent.sms.status, 'request') : undefined;
  const smsConsent =
    sms !== undefined && sms.outcome !== 'refused' && sms.status === 'pending'
      ? consentRequest(deps, form, contact.id, now, request, 'sms')
      : undefined;
  await deps.contacts.update({
    contact: {
      ...contact,
      // Only a new SMS consent request may change the number: anyone can post a known
      // address, and must not be able to redirect an existing SMS consent to their phone.
      ...(smsConsent === undefined || form.phone === undefined ? {} : { phone: form.phone }),
      // The newest browser is the best word on where someone is now: they may have moved.
      ...(form.timezone === undefined ? {} : { timeZone: form.timezone }),
      consent: {
        email: { status: 'pending', changedAt: at },
        sms: smsConsent === undefined ? contact.consent.sms : { status: 'pending', changedAt: at },
      },
      pendingTopics: form.topics,
      confirmationRequestedAt: at,
      unansweredConfirmations: (contact.unansweredConfirmations ?? 0) + 1,
      updatedAt: at,
      version: contact.version + 1,
    },
    expectedVersion: contact.version,
    consent: smsConsent === undefined ? [consent] : [consent, smsConsent],
    events: [],
    messages: [confirmationMessage(contact.id, consent.id, now)],
  });
  if (smsConsent !== undefined && form.phone !== undefined) {
    await deps.phones.claimPhone(form.phone, contact.id);
    // The old number's pointer would otherwise outlive the profile that named it, out of an erasure's reach.
    if (contact.phone !== undefined && contact.phone !== form.phone)
      await deps.phones.releasePhone(contact.phone, contact.id);
  }
  // A pending contact asking again is the same signup, its email sent once more.
  return transition.outcome === 'changed';
};
