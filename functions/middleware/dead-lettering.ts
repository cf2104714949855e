import type { DynamoDBRecord } from 'aws-lambda';
import { recordDeadLetter } from '../../lib/app/dead-letters.js';
import { describeError } from '../../lib/domain/error-text.js';
import { perEnvironment } from '../dependencies.js';

const deps = perEnvironment(({ deadLetters, clock, ids }) => ({ deadLetters, clock, ids }));

/**
 * Where a stream function's chain keeps a record that can never succeed: the
 * dead letters in the table, under the function's topology name (what a redrive
 * hands it back to), with the error as the reason.
 */
export const deadLettersOf =
  (functionName: string) =>
  async (record: DynamoDBRecord, error: Error): Promise<void> => {
    await recordDeadLetter(deps(), {
      functionName,
      redriveAs: 'stream-record',
      record,
      reason: describeError(error),
    });
  };
