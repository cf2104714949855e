import { z } from 'zod';
import { EventSnapshot, TriggerSnapshot } from '../domain/enrollment.js';
import { messageOf } from '../domain/error-text.js';
import { MessageKind } from '../domain/message.js';
import {
  limitedEngine,
  limitProblem,
  limitReached,
  type OutputCap,
  renderLimited,
} from './limited-liquid.js';
import { smsLimits } from './render-limits.js';

/** An SMS template: one Liquid body, plain text. */
export const SmsTemplate = z.object({
  id: z.string().regex(/^[a-z][a-z0-9-]*$/),
  kind: MessageKind,
  body: z.string().min(1),
});
export type SmsTemplate = z.infer<typeof SmsTemplate>;

/** What an SMS template can see: `contact.name`, `sender.name`, `data.x`, … */
export const SmsRenderInput = z.object({
  /** Extra profile attributes pass through so templates can use them. */
  contact: z.looseObject({ name: z.string().optional() }),
  sender: z.object({ name: z.string().min(1) }),
  /** Anything else the message carries, e.g. the triggering event's data. */
  data: z.record(z.string(), z.unknown()).optional(),
  /** A journey message: the event that started the enrollment, with its `for_each` element as `trigger.item`. */
  trigger: TriggerSnapshot.optional(),
  /** A journey message: the event that moved the enrollment to this send. */
  event: EventSnapshot.optional(),
});
export type SmsRenderInput = z.infer<typeof SmsRenderInput>;

export const SmsEncoding = z.enum(['GSM-7', 'UCS-2']);
export type SmsEncoding = z.infer<typeof SmsEncoding>;

export interface SmsSegmentCount {
  encoding: SmsEncoding;
  /** Septets for GSM-7, UTF-16 code units for UCS-2. */
  units: number;
  segments: number;
}

export interface RenderedSms extends SmsSegmentCount {
  body: string;
}

/** A template that cannot be rendered (bad Liquid, invalid input, or an empty result); names the template. */
export class SmsRenderError extends Error {
  override readonly name: string = 'SmsRenderError';
  constructor(
    readonly templateId: string,
    readonly problem: string,
  ) {
    super(`SMS template "${templateId}": ${problem}`);
  }
}

/**
 * A body whose Liquid renders past one of the limits in render-limits.ts. Rendering it
 * again goes past the limit again, so the message fails unsent rather than being retried.
 */
export class SmsLimitExceededError extends SmsRenderError {
  override readonly name = 'SmsLimitExceededError';
  constructor(
    templateId: string,
    readonly limit: string,
  ) {
    super(templateId, `body: ${limit}`);
  }
}

/** Carriers bill, and may drop, every segment: a body that grows past the limit is refused rather than sent. */
export class SmsTooLongError extends Error {
  override readonly name = 'SmsTooLongError';
  constructor(
    readonly templateId: string,
    readonly count: SmsSegmentCount,
    readonly maxSegments: number,
  ) {
    super(
      `SMS template "${templateId}": ${count.segments} ${count.encoding} segments (${count.units} units), at most ${maxSegments} allowed`,
    );
  }
}

export const smsOptOutLine = 'Reply STOP to opt out';
export const defaultMaxSmsSegments = 3;

/** GSM 03.38 default alphabet, in code order; each costs one septet. */
const gsmBasic = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);
/** The extension table: an escape septet plus the character. */
const gsmExtension = new Set('\f^{}\\[~]|€');

/** A concatenated message spends part of each segment on the header that reassembles it. */
const limits = {
  'GSM-7': { single: 160, perSegment: 153 },
  'UCS-2': { single: 70, perSegment: 67 },
} as const;

/**
 * Packs units into segments the way handsets reassemble them: an escaped GSM character
 * or a surrogate pair never straddles two segments, so a segment may end a unit short.
 */
const packSegments = (sizes: number[], perSegment: number): number => {
  let segments = 1;
  let used = 0;
  for (const size of sizes) {
    if (used + size > perSegment) {
      segments += 1;
      used = 0;
    }
    used += size;
  }
  return segments;
};

/** How many segments a text travels in: GSM-7 when every character is in the GSM alphabet, UCS-2 otherwise. */
export const countSmsSegments = (text: string): SmsSegmentCount => {
  const characters = Array.from(text);
  const gsm = characters.every((character) => gsmBasic.has(character) || gsmExtension.has(character));
  const encoding: SmsEncoding = gsm ? 'GSM-7' : 'UCS-2';
  const sizes = gsm
    ? characters.map((character) => (gsmExtension.has(character) ? 2 : 1))
    : characters.map((character) => character.length);
  const units = sizes.reduce((sum, size) => sum + size, 0);
  const limit = limits[encoding];
  const segments = units === 0 ? 0 : units <= limit.single ? 1 : packSegments(sizes, limit.perSegment);
  return { encoding, units, segments };
};

const output: OutputCap = { max: smsLimits.bodyChars, unit: 'characters' };

/** No HTML escaping: an SMS is plain text. */
const engine = limitedEngine({ ...smsLimits.liquid, capture: output }, false);

/** A marketing SMS must say how to stop; one that already mentions STOP has said it. */
const mentionsStop = /\bSTOP\b/;

/**
 * Renders one SMS: Liquid over the input, trimmed (YAML blocks end in a newline), the
 * opt-out line added to marketing messages that lack one, and the result refused if it
 * needs more than `maxSegments` segments.
 */
export const renderSms = async (
  template: SmsTemplate,
  input: SmsRenderInput,
  options: { maxSegments?: number } = {},
): Promise<RenderedSms> => {
  const parsedInput = SmsRenderInput.safeParse(input);
  if (!parsedInput.success) {
    const problems = parsedInput.error.issues.map(
      (issue) => `${issue.path.join('.') || 'input'}: ${issue.message}`,
    );
    throw new SmsRenderError(template.id, `invalid render input: ${problems.join('; ')}`);
  }
  const { contact, sender, data, trigger, event } = parsedInput.data;
  let rendered: string;
  try {
    const scope = { contact, sender, data: data ?? {}, trigger, event };
    rendered = await renderLimited(engine, engine.parse(template.body), scope, { output });
  } catch (error) {
    const limit = limitReached(error);
    if (limit !== undefined) {
      throw new SmsLimitExceededError(template.id, limitProblem(limit, { output, ...smsLimits.liquid }));
    }
    throw new SmsRenderError(template.id, messageOf(error));
  }
  const text = rendered.trim();
  if (text === '') throw new SmsRenderError(template.id, 'the body rendered to nothing');
  const body = template.kind === 'marketing' && !mentionsStop.test(text) ? `${text}\n${smsOptOutLine}` : text;

  const count = countSmsSegments(body);
  const maxSegments = options.maxSegments ?? defaultMaxSmsSegments;
  if (count.segments > maxSegments) throw new SmsTooLongError(template.id, count, maxSegments);
  return { body, ...count };
};
