import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { ConcurrentUpdateError } from '../../domain/errors.js';
import {
  type Suppression,
  SuppressionRecord,
  type SuppressionStore,
  suppressionInForce,
} from '../../ports/suppression-store.js';
import { type ItemType, mustNotExist } from './items.js';
import {
  hashedSuppressionKey as hashedKeyFor,
  isoTime,
  suppressionKey as keyFor,
  suppressionItem,
} from './suppression-items.js';
import { isConditionalCheckFailure, transactWrite } from './transactions.js';

export { addressHash } from './suppression-items.js';

type Channel = Suppression['channel'];

export class DynamoSuppressionStore implements SuppressionStore {
  constructor(
    private readonly documentClient: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async isSuppressed(channel: Channel, address: string, now: Date): Promise<boolean> {
    const { plain, hashed } = await this.read(channel, address);
    return [plain, hashed].some((record) => record !== undefined && suppressionInForce(record, now));
  }

  async find(channel: Channel, address: string): Promise<SuppressionRecord | undefined> {
    const { plain, hashed } = await this.read(channel, address);
    return plain ?? hashed;
  }

  async suppress(suppression: Suppression): Promise<void> {
    const cancellation = await transactWrite(this.documentClient, [
      {
        // An erased address stays suppressed by its hash alone: a bounce or a STOP
        // arriving later must not write it down in the clear again.
        ConditionCheck: {
          TableName: this.tableName,
          Key: hashedKeyFor(suppression.channel, suppression.address),
          ConditionExpression: mustNotExist,
        },
      },
      {
        Put: {
          TableName: this.tableName,
          Item: suppressionItem(suppression),
          ...(suppression.until === undefined
            ? {
                // For good: over nothing, or over a temporary suppression.
                ConditionExpression: `${mustNotExist} OR attribute_exists(#until)`,
                ExpressionAttributeNames: { '#until': 'until' },
              }
            : {
                // Temporary: over nothing, or over a temporary one that has lapsed by then.
                ConditionExpression: `${mustNotExist} OR #until <= :at`,
                ExpressionAttributeNames: { '#until': 'until' },
                ExpressionAttributeValues: { ':at': isoTime(suppression.at) },
              }),
        },
      },
    ]);
    // Either condition failing means the address is suppressed already; the first
    // record (the original bounce or complaint) is the one worth keeping.
    if (cancellation === undefined || cancellation.failedConditions.length > 0) return;
    throw new ConcurrentUpdateError(`another write suppressed the same ${suppression.channel} address`);
  }

  async suppressForErasure(channel: Channel, address: string, at: Date): Promise<boolean> {
    try {
      await this.documentClient.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...hashedKeyFor(channel, address),
            type: 'suppression' satisfies ItemType,
            channel,
            reason: 'erasure',
            at: at.toISOString(),
          },
          ConditionExpression: mustNotExist,
        }),
      );
    } catch (error) {
      // Erased before (a repeated or resumed erasure): the first record stays.
      if (!isConditionalCheckFailure(error)) throw error;
    }
    // Only now, with the hash in place, may the address in the clear go: there is no
    // moment in which the address is not suppressed.
    const { Attributes } = await this.documentClient.send(
      new DeleteCommand({
        TableName: this.tableName,
        Key: keyFor(channel, address),
        ReturnValues: 'ALL_OLD',
      }),
    );
    return Attributes !== undefined;
  }

  /** The record in the clear and the hashed one: both are read at once, every check costs the same. */
  private async read(
    channel: Channel,
    address: string,
  ): Promise<{ plain: SuppressionRecord | undefined; hashed: SuppressionRecord | undefined }> {
    const [plain, hashed] = await Promise.all(
      [keyFor(channel, address), hashedKeyFor(channel, address)].map(async (key) => {
        const { Item } = await this.documentClient.send(
          new GetCommand({
            TableName: this.tableName,
            Key: key,
            ProjectionExpression: 'reason, #at, #until, detail',
            ExpressionAttributeNames: { '#at': 'at', '#until': 'until' },
            ConsistentRead: true,
          }),
        );
        return Item === undefined ? undefined : SuppressionRecord.parse(Item);
      }),
    );
    return { plain, hashed };
  }
}
