import { z } from 'zod';
import { isRecord } from './is-record.js';

/**
 * What failed for good, kept so an operator can see why and hand it back to its
 * function once the cause is fixed (docs/operations.md, Dead letters). One list
 * for every source: a record the stream chain gave up on at once, what a stream
 * mapping or an asynchronous invocation gave up on after its retries.
 */

/** A ULID: dead letters list in the order they were written. */
export const DeadLetterId = z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'is not a dead letter id');
export type DeadLetterId = z.infer<typeof DeadLetterId>;

/**
 * How a redrive hands the input back: a stream record in a batch of its own
 * (what a stream function receives), or the event as the function received it
 * (an SNS notification, an EventBridge event).
 */
export const RedriveShape = z.enum(['stream-record', 'event']);
export type RedriveShape = z.infer<typeof RedriveShape>;

/** A redrive that failed: when, and what the function said. */
export const FailedRedrive = z.object({ at: z.iso.datetime(), error: z.string().min(1) });
export type FailedRedrive = z.infer<typeof FailedRedrive>;

const DeadLetterFields = z.object({
  id: DeadLetterId,
  /** When it was dead-lettered. */
  at: z.iso.datetime(),
  /** The topology name of the function that failed it, and that a redrive hands it back to. */
  functionName: z.string().regex(/^[a-z][a-z0-9-]*$/, 'is not a function name'),
  redriveAs: RedriveShape,
  /** The record or event that failed, in the shape the function received it. */
  record: z.unknown().optional(),
  /** Why the record is not kept (too large, or gone from the stream before it was read back): it cannot be redriven. */
  recordMissing: z.string().min(1).optional(),
  /** Why it failed: the named error and its message, or the limit a mapping or invocation reached. */
  reason: z.string().min(1),
  /** Redrives that failed; one that succeeds removes the dead letter. */
  redrives: z.number().int().min(0),
  lastRedrive: FailedRedrive.optional(),
});

export const DeadLetter = DeadLetterFields.refine(
  (letter) => letter.record !== undefined || letter.recordMissing !== undefined,
  { message: 'a dead letter keeps its record or says why it could not', path: ['record'] },
);
export type DeadLetter = z.infer<typeof DeadLetter>;

/** A dead letter as a list shows it: everything but the record, and what the record is about. */
export const DeadLetterSummary = DeadLetterFields.omit({ record: true }).extend({
  /** The record's table keys, or the event's id and kind: enough to tell entries apart. */
  subject: z.string().optional(),
});
export type DeadLetterSummary = z.infer<typeof DeadLetterSummary>;

/** A page of dead letters, oldest first; `next` goes on after the last one, null at the end. */
export const DeadLetterList = z.object({
  deadLetters: z.array(DeadLetterSummary),
  next: DeadLetterId.nullable(),
});
export type DeadLetterList = z.infer<typeof DeadLetterList>;

export const RedriveRequest = z
  .object({
    id: DeadLetterId.optional(),
    all: z.literal(true).optional(),
    /** With `all`: go on after this dead letter (an earlier answer's `next`). */
    after: DeadLetterId.optional(),
  })
  .strict()
  .superRefine((request, ctx) => {
    if ((request.id === undefined) === (request.all === undefined))
      ctx.addIssue({
        code: 'custom',
        path: ['id'],
        message: 'give the id of one dead letter, or "all": true, not both',
      });
    if (request.after !== undefined && request.all === undefined)
      ctx.addIssue({ code: 'custom', path: ['after'], message: 'goes only with "all": true' });
  });
export type RedriveRequest = z.infer<typeof RedriveRequest>;

export const RedriveResult = z.object({
  id: DeadLetterId,
  functionName: z.string(),
  /**
   * `redriven`: the function succeeded and the dead letter is gone; `failed`: it
   * failed again (`error`) and the dead letter stays, counted; `not-redrivable`:
   * its record was not kept; `gone`: another redrive removed it meanwhile.
   */
  outcome: z.enum(['redriven', 'failed', 'not-redrivable', 'gone']),
  error: z.string().optional(),
});
export type RedriveResult = z.infer<typeof RedriveResult>;

/** What a redrive did, in the order it went; with `all`, `next` is where a further request goes on (null: done). */
export const RedriveAnswer = z.object({ results: z.array(RedriveResult), next: DeadLetterId.nullable() });
export type RedriveAnswer = z.infer<typeof RedriveAnswer>;

/** How long a dead letter is kept: as long as SQS keeps a message, since a record can hold personal data. */
export const deadLetterRetentionDays = 14;

/**
 * The most of a record a dead letter keeps, as JSON: a DynamoDB item holds 400 KB,
 * and a stream record of an item near that size (its image, in DynamoDB JSON) is larger.
 */
export const keptRecordLimitBytes = 350 * 1024;

const utf8Bytes = (text: string): number => new TextEncoder().encode(text).length;

const streamKeysOf = (record: unknown): string | undefined => {
  const keys = isRecord(record) && isRecord(record.dynamodb) ? record.dynamodb.Keys : undefined;
  if (!isRecord(keys)) return undefined;
  const text = (name: string): string | undefined => {
    const value = keys[name];
    return isRecord(value) && typeof value.S === 'string' ? value.S : undefined;
  };
  const pk = text('PK');
  const sk = text('SK');
  return pk === undefined && sk === undefined ? undefined : `${pk ?? '?'} ${sk ?? '?'}`;
};

const eventSubjectOf = (event: unknown): string | undefined => {
  if (!isRecord(event)) return undefined;
  if (typeof event['detail-type'] === 'string')
    return `${event['detail-type']} ${typeof event.id === 'string' ? event.id : ''}`.trim();
  const first = Array.isArray(event.Records) ? event.Records[0] : undefined;
  const sns = isRecord(first) && isRecord(first.Sns) ? first.Sns : undefined;
  if (sns !== undefined && typeof sns.MessageId === 'string') return `SNS message ${sns.MessageId}`;
  return undefined;
};

/** What a dead letter's record is about, for a list: a stream record's keys, an event's kind and id. */
export const subjectOf = (redriveAs: RedriveShape, record: unknown): string | undefined =>
  redriveAs === 'stream-record' ? streamKeysOf(record) : eventSubjectOf(record);

/** The record to keep, or why it is not kept: it must fit in the dead letter's item. */
export const keptRecord = (
  redriveAs: RedriveShape,
  record: unknown,
): { record: unknown } | { recordMissing: string } => {
  const text = JSON.stringify(record) ?? 'null';
  const bytes = utf8Bytes(text);
  if (bytes <= keptRecordLimitBytes) return { record };
  const subject = subjectOf(redriveAs, record);
  return {
    recordMissing: `the record is ${Math.ceil(bytes / 1024)} KB as JSON, more than the ${keptRecordLimitBytes / 1024} KB a dead letter keeps${subject === undefined ? '' : ` (${subject})`}`,
  };
};

export const summaryOf = ({ record, ...letter }: DeadLetter): DeadLetterSummary => {
  const subject = record === undefined ? undefined : subjectOf(letter.redriveAs, record);
  return { ...letter, ...(subject === undefined ? {} : { subject }) };
};
