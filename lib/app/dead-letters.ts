import { z } from 'zod';
import {
  DeadLetter,
  DeadLetterId,
  type DeadLetterList,
  keptRecord,
  type RedriveAnswer,
  RedriveRequest,
  type RedriveResult,
  type RedriveShape,
  summaryOf,
} from '../domain/dead-letter.js';
import { describeError } from '../domain/error-text.js';
import { ConflictError, FunctionFailedError, NotFoundError, ValidationError } from '../domain/errors.js';
import { isRecord } from '../domain/is-record.js';
import type { Clock } from '../ports/clock.js';
import type { DeadLetterStore } from '../ports/dead-letter-store.js';
import type { FunctionInvoker } from '../ports/function-invoker.js';
import type { IdGenerator } from '../ports/id-generator.js';
import { problemsOf, refuse } from './admin/problems.js';

export interface DeadLetterDeps {
  deadLetters: DeadLetterStore;
  clock: Clock;
  ids: IdGenerator;
}

export interface RedriveDeps extends DeadLetterDeps {
  functions: FunctionInvoker;
  settings: {
    /** A redrive of all of them takes no further dead letter after this long. */
    redriveBudgetMs: number;
  };
}

/**
 * What failed for good, as the stream chain, the local sink or the intake of a
 * dead-letter queue saw it: the record, or why it is not there to keep.
 */
export type NewDeadLetter = {
  functionName: string;
  redriveAs: RedriveShape;
  reason: string;
} & ({ record: unknown } | { recordMissing: string });

/** A reason is an error's text; a stack of causes can run long, and a dead letter is read by a person. */
const reasonLimit = 4_000;

const clipped = (text: string): string =>
  text.length <= reasonLimit ? text : `${text.slice(0, reasonLimit - 1)}…`;

/** Keeps what failed with its reason; a record too large to keep is named instead, and cannot be redriven. */
export const recordDeadLetter = async (deps: DeadLetterDeps, input: NewDeadLetter): Promise<DeadLetter> => {
  const letter = DeadLetter.parse({
    id: deps.ids.next(),
    at: deps.clock.now().toISOString(),
    functionName: input.functionName,
    redriveAs: input.redriveAs,
    ...('recordMissing' in input
      ? { recordMissing: input.recordMissing }
      : keptRecord(input.redriveAs, input.record)),
    reason: clipped(input.reason === '' ? 'no reason was given' : input.reason),
    redrives: 0,
  });
  await deps.deadLetters.put(letter);
  return letter;
};

export const DeadLetterListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  after: DeadLetterId.optional(),
});

/** A page of dead letters, oldest first, without their records; `after` is the previous page's `next`. */
export const listDeadLetters = async (
  deps: Pick<DeadLetterDeps, 'deadLetters'>,
  query: unknown,
): Promise<DeadLetterList> => {
  const parsed = DeadLetterListQuery.safeParse(query ?? {});
  if (!parsed.success) throw refuse(problemsOf(parsed.error), 'the query is not valid');
  const page = await deps.deadLetters.list(parsed.data.limit, parsed.data.after);
  return { deadLetters: page.deadLetters.map(summaryOf), next: page.next };
};

const deadLetterIdOf = (id: string): DeadLetterId => {
  const parsed = DeadLetterId.safeParse(id);
  if (!parsed.success) throw new ValidationError({ id: 'is not a dead letter id (a ULID)' });
  return parsed.data;
};

/** One dead letter with its record, as it failed. */
export const showDeadLetter = async (
  deps: Pick<DeadLetterDeps, 'deadLetters'>,
  id: string,
): Promise<DeadLetter> => {
  const letter = await deps.deadLetters.get(deadLetterIdOf(id));
  if (letter === undefined) throw new NotFoundError(`there is no dead letter "${id}" (redriven, or expired)`);
  return letter;
};

const BatchResponse = z.object({
  batchItemFailures: z.array(z.object({ itemIdentifier: z.string() })).min(1),
});

/**
 * The input as the function first received it. A stream record goes back in a
 * batch of its own, marked as a redrive: the stream chain then fails it with its
 * error instead of dead-lettering it a second time.
 */
const redriveEventOf = (letter: DeadLetter): unknown =>
  letter.redriveAs === 'stream-record' ? { Records: [letter.record], redriveOf: letter.id } : letter.record;

/**
 * Hands one dead letter back to its function. Only a success removes it, so a
 * redrive that dies midway leaves it to be tried again; the functions are
 * idempotent, so a record handed back twice is still processed once.
 */
const redriveOne = async (deps: RedriveDeps, letter: DeadLetter): Promise<RedriveResult> => {
  const about = { id: letter.id, functionName: letter.functionName };
  if (letter.record === undefined)
    return { ...about, outcome: 'not-redrivable', error: letter.recordMissing };
  let error: string | undefined;
  try {
    const answer = await deps.functions.invoke(letter.functionName, redriveEventOf(letter));
    if (BatchResponse.safeParse(answer).success) error = 'the function reported the record failed';
  } catch (failure) {
    error = failure instanceof FunctionFailedError ? failure.message : describeError(failure);
  }
  if (error === undefined) {
    await deps.deadLetters.remove(letter.id);
    return { ...about, outcome: 'redriven' };
  }
  const kept = await deps.deadLetters.recordFailedRedrive(letter.id, {
    at: deps.clock.now().toISOString(),
    error: clipped(error),
  });
  return { ...about, outcome: kept === undefined ? 'gone' : 'failed', error };
};

/**
 * `{ id }`: hands that dead letter back to its function. `{ all: true }`: every
 * one, oldest first (a contact's records in the order they failed), until the
 * time budget is spent; `next` then says where a further request goes on.
 */
export const redriveDeadLetters = async (deps: RedriveDeps, body: unknown): Promise<RedriveAnswer> => {
  const parsed = RedriveRequest.safeParse(isRecord(body) ? body : {});
  if (!parsed.success) throw refuse(problemsOf(parsed.error), 'the redrive request is not valid');
  const request = parsed.data;
  if (request.id !== undefined) {
    const letter = await showDeadLetter(deps, request.id);
    if (letter.record === undefined)
      throw new ConflictError(`dead letter ${letter.id} cannot be redriven: ${letter.recordMissing}`);
    return { results: [await redriveOne(deps, letter)], next: null };
  }
  const stopAt = deps.clock.now().getTime() + deps.settings.redriveBudgetMs;
  const results: RedriveResult[] = [];
  let after = request.after;
  for (;;) {
    const page = await deps.deadLetters.list(25, after);
    for (const letter of page.deadLetters) {
      // At least one a request, so a budget spent on one slow function still moves on.
      if (after !== undefined && results.length > 0 && deps.clock.now().getTime() >= stopAt)
        return { results, next: after };
      results.push(await redriveOne(deps, letter));
      after = letter.id;
    }
    if (page.next === null) return { results, next: null };
    after = page.next;
  }
};
