import { z } from 'zod';

const e164 = z.string().regex(/^\+[1-9]\d{1,14}$/, 'must be an E.164 phone number');

/**
 * What AWS End User Messaging publishes to the two-way SMS topic when a number we
 * text from receives a reply. It is the SNS message's `Message`, as a JSON string.
 */
export const InboundSms = z.object({
  /** The customer's number: the one to unsubscribe on STOP. */
  originationNumber: e164,
  /** Our number that received the reply. */
  destinationNumber: e164,
  /** The keyword registered on our number that the reply matched, if any. */
  messageKeyword: z.string().optional(),
  messageBody: z.string(),
  inboundMessageId: z.string().min(1),
  /** The message being replied to; absent when the customer wrote first. */
  previousPublishedMessageId: z.string().optional(),
});
export type InboundSms = z.infer<typeof InboundSms>;

/** The topic delivered something that is not a two-way SMS notification. */
export class InboundSmsFormatError extends Error {
  override readonly name = 'InboundSmsFormatError';
}

/** Parses the SNS message text of a two-way SMS notification. */
export const parseInboundSms = (message: string): InboundSms => {
  let json: unknown;
  try {
    json = JSON.parse(message);
  } catch (error) {
    throw new InboundSmsFormatError('the inbound SMS notification is not JSON', { cause: error });
  }
  const parsed = InboundSms.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join('.') || 'message'}: ${issue.message}`,
    );
    throw new InboundSmsFormatError(`the inbound SMS notification is invalid: ${problems.join('; ')}`);
  }
  return parsed.data;
};

/**
 * The opt-out keywords AWS End User Messaging honours for US and Canadian numbers
 * (ARRET and TD for French Canada), plus STOPALL and REVOKE that CTIA guidance names.
 */
export const stopKeywords: ReadonlySet<string> = new Set([
  'STOP',
  'STOPALL',
  'UNSUBSCRIBE',
  'CANCEL',
  'END',
  'QUIT',
  'OPTOUT',
  'OPT-OUT',
  'REMOVE',
  'REVOKE',
  'ARRET',
  'TD',
]);

/**
 * Only what carriers use to lift an opt-out. YES is left out on purpose: it answers
 * double opt-in questions, and reading it as consent here would resubscribe by accident.
 */
export const startKeywords: ReadonlySet<string> = new Set(['START', 'UNSTOP']);

/** Upper case, accents dropped (ARRÊT is ARRET), punctuation around a keyword ignored ("Stop!" is STOP). */
const normalizeWord = (word: string): string =>
  word
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toUpperCase()
    .replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');

const words = (body: string): string[] =>
  body
    .trim()
    .split(/\s+/)
    .filter((word) => word !== '');

/**
 * A reply that begins with an opt-out keyword, as AWS reads it ("Stop texting me" opts
 * out). Erring this way costs a subscriber; erring the other way texts someone who said stop.
 */
export const isStopRequest = (body: string): boolean => {
  const [first] = words(body);
  return first !== undefined && stopKeywords.has(normalizeWord(first));
};

/** A reply that is nothing but an opt-in keyword: resubscribing needs an unambiguous ask. */
export const isStartRequest = (body: string): boolean => {
  const all = words(body);
  const [only] = all;
  return all.length === 1 && only !== undefined && startKeywords.has(normalizeWord(only));
};
