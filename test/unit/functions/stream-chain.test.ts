import type { DynamoDBRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { streamHandler } from '../../../functions/middleware/stream-chain.js';
import { lambdaContext } from '../../../infra/local/lambda-invoke.js';

const record = (sequence: string): DynamoDBRecord => ({
  eventID: sequence,
  eventName: 'INSERT',
  eventSource: 'aws:dynamodb',
  dynamodb: { SequenceNumber: sequence, Keys: { PK: { S: 'C#1' }, SK: { S: `EV#${sequence}` } } },
});
const context = lambdaContext(
  { functionName: 'stream-chain-test', memoryMb: 128, timeoutSeconds: 5 },
  'us-east-1',
);

describe('the stream handler chain', () => {
  describe('when a record in the middle of a batch fails', () => {
    it('reports it and every later record failed, and runs none of the later ones', async () => {
      const attempted: string[] = [];
      const handler = streamHandler(async (r) => {
        const sequence = r.dynamodb?.SequenceNumber ?? '';
        attempted.push(sequence);
        if (sequence === '200') throw new Error('throttled');
      });
      const response = await handler({ Records: ['100', '200', '300', '400'].map(record) }, context);
      expect(attempted).toEqual(['100', '200']);
      expect(response).toEqual({
        batchItemFailures: [{ itemIdentifier: '200' }, { itemIdentifier: '300' }, { itemIdentifier: '400' }],
      });
    });
  });

  it('reports nothing when every record succeeds', async () => {
    const handler = streamHandler(async () => undefined);
    expect(await handler({ Records: ['1', '2'].map(record) }, context)).toEqual({ batchItemFailures: [] });
  });

  it('throws when the first record fails, so the mapping bisects the batch', async () => {
    const handler = streamHandler(async () => {
      throw new Error('poison');
    });
    await expect(handler({ Records: ['1', '2'].map(record) }, context)).rejects.toThrow();
  });
});
