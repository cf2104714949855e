import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';

import { UnstorableItemError } from '../../domain/errors.js';
import { maxTransactionItems, TransactionTooLargeError } from './transaction-limits.js';

export { maxTransactionItems, TransactionTooLargeError } from './transaction-limits.js';

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/**
 * Why a transaction was cancelled: the indexes of the items whose condition
 * failed, and whether another transaction touched the same items at the same
 * time (DynamoDB's `TransactionConflict`, which a re-read and retry settles).
 */
export interface Cancellation {
  failedConditions: number[];
  conflicted: boolean;
}

/** Writes the items in one transaction; undefined when it committed. Errors other than a cancellation are thrown. */
export const transactWrite = async (
  documentClient: DynamoDBDocumentClient,
  items: TransactItem[],
): Promise<Cancellation | undefined> => {
  if (items.length > maxTransactionItems) {
    throw new TransactionTooLargeError(
      `a transaction holds at most ${maxTransactionItems} items; this one has ${items.length}`,
    );
  }
  try {
    await documentClient.send(new TransactWriteCommand({ TransactItems: items }));
    return undefined;
  } catch (error) {
    const cancellation = cancellationOf(error);
    if (cancellation !== undefined) return cancellation;
    throw unstorableOr(error);
  }
};

/**
 * transactWrite, tried again after a short, growing, jittered pause while the only
 * reason it was cancelled is another transaction on the same items: the hot daily
 * counters a transaction carries make that common, and nothing was written, so the
 * same items go again (their conditions are checked afresh). A failed condition, or
 * conflicts past the last attempt, are answered as transactWrite answers them.
 */
export const transactWriteThroughConflicts = async (
  documentClient: DynamoDBDocumentClient,
  items: TransactItem[],
  attempts = 5,
): Promise<Cancellation | undefined> => {
  for (let attempt = 1; ; attempt += 1) {
    const cancellation = await transactWrite(documentClient, items);
    if (
      cancellation === undefined ||
      !cancellation.conflicted ||
      cancellation.failedConditions.length > 0 ||
      attempt >= attempts
    )
      return cancellation;
    await new Promise((resolve) => setTimeout(resolve, 10 * 2 ** attempt * (0.5 + Math.random())));
  }
};

/**
 * DynamoDB's refusals of what an item holds (too large, nested too deep, a
 * number out of range) and the SDK's own before it sends (an integer past
 * 2^53, which it will not round): no retry can fix those, so they get a name.
 */
export const unstorableOr = (error: unknown): unknown => {
  if (!(error instanceof Error)) return error;
  const refused =
    (error.name === 'ValidationException' &&
      !/ConditionExpression|UpdateExpression|KeyConditionExpression/.test(error.message)) ||
    (error.name === 'TransactionCanceledException' && /ValidationError/.test(error.message)) ||
    /Number\.MAX_SAFE_INTEGER|Number\.MIN_SAFE_INTEGER|Special numeric value/.test(error.message);
  return refused ? new UnstorableItemError(error.message, { cause: error }) : error;
};

const cancellationOf = (error: unknown): Cancellation | undefined => {
  if (!(error instanceof TransactionCanceledException)) return undefined;
  const reasons = error.CancellationReasons ?? [];
  const failedConditions = reasons.flatMap((reason, index) =>
    reason.Code === 'ConditionalCheckFailed' ? [index] : [],
  );
  const conflicted = reasons.some((reason) => reason.Code === 'TransactionConflict');
  // Cancelled for another reason (throttling, validation): not ours to interpret.
  if (failedConditions.length === 0 && !conflicted) return undefined;
  return { failedConditions, conflicted };
};

export const isConditionalCheckFailure = (error: unknown): error is ConditionalCheckFailedException =>
  error instanceof ConditionalCheckFailedException;
