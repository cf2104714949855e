import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { z } from 'zod';
import { RfmThresholds } from '../../domain/customer-value.js';
import { LearnedCycles } from '../../domain/replacement-cycles.js';
import type { CustomerValueStore } from '../../ports/customer-value-store.js';
import type { ItemType } from './items.js';
import { keys } from './keys.js';

/** Two items, `CONFIG` / `RFM_THRESHOLDS` and `CONFIG` / `LEARNED_CYCLES`, each replaced by every refresh. */
export class DynamoCustomerValueStore implements CustomerValueStore {
  constructor(
    private readonly documentClient: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  private async read<T extends z.ZodType>(name: string, schema: T): Promise<z.infer<T> | undefined> {
    const { Item } = await this.documentClient.send(
      new GetCommand({ TableName: this.tableName, Key: keys.config(name), ConsistentRead: true }),
    );
    return Item === undefined ? undefined : schema.parse(Item);
  }

  private async write(name: string, value: object): Promise<void> {
    await this.documentClient.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...keys.config(name), type: 'config' satisfies ItemType, ...value },
      }),
    );
  }

  thresholds(): Promise<RfmThresholds | undefined> {
    return this.read('RFM_THRESHOLDS', RfmThresholds);
  }

  saveThresholds(thresholds: RfmThresholds): Promise<void> {
    return this.write('RFM_THRESHOLDS', RfmThresholds.parse(thresholds));
  }

  cycles(): Promise<LearnedCycles | undefined> {
    return this.read('LEARNED_CYCLES', LearnedCycles);
  }

  saveCycles(cycles: LearnedCycles): Promise<void> {
    return this.write('LEARNED_CYCLES', LearnedCycles.parse(cycles));
  }
}
