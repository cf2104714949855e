import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DeliveryPolicy } from '../../domain/delivery-policy.js';
import type { PublishedDeliveryPolicy } from '../../domain/delivery-policy-answers.js';
import { ConcurrentUpdateError } from '../../domain/errors.js';
import type { DeliveryPolicyStore } from '../../ports/delivery-policy-store.js';
import {
  deliveryPolicyKey,
  policyAttributes,
  policyFromItem,
  stalePolicyMessage,
} from './delivery-policy-items.js';
import { isConditionalCheckFailure } from './transactions.js';

/** The policy in force as one item (delivery-policy-items.ts); every publication counts its version up with ADD. */
export class DynamoDeliveryPolicyStore implements DeliveryPolicyStore {
  constructor(
    private readonly documentClient: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(): Promise<DeliveryPolicy | undefined> {
    return (await this.current())?.policy;
  }

  async current(): Promise<PublishedDeliveryPolicy | undefined> {
    const { Item } = await this.documentClient.send(
      new GetCommand({ TableName: this.tableName, Key: deliveryPolicyKey, ConsistentRead: true }),
    );
    return Item === undefined ? undefined : policyFromItem(Item);
  }

  async put(
    policy: DeliveryPolicy,
    publishedAt: Date,
    expectedVersion?: number,
  ): Promise<PublishedDeliveryPolicy> {
    const { type, policy: text, publishedAt: at } = policyAttributes(policy, publishedAt);
    // An item stored before versions were counted has none, and reads as version 0.
    const guard =
      expectedVersion === undefined
        ? {}
        : expectedVersion === 0
          ? { ConditionExpression: 'attribute_not_exists(#version)' }
          : { ConditionExpression: '#version = :read' };
    try {
      const { Attributes } = await this.documentClient.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: deliveryPolicyKey,
          UpdateExpression: 'SET #type = :type, #policy = :policy, #publishedAt = :at ADD #version :one',
          ...guard,
          ExpressionAttributeNames: {
            '#type': 'type',
            '#policy': 'policy',
            '#publishedAt': 'publishedAt',
            '#version': 'version',
          },
          ExpressionAttributeValues: {
            ':type': type,
            ':policy': text,
            ':at': at,
            ':one': 1,
            ...(expectedVersion === undefined || expectedVersion === 0 ? {} : { ':read': expectedVersion }),
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return policyFromItem(Attributes ?? {});
    } catch (error) {
      if (expectedVersion !== undefined && isConditionalCheckFailure(error))
        throw new ConcurrentUpdateError(stalePolicyMessage(expectedVersion));
      throw error;
    }
  }
}
