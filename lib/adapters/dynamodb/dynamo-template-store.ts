import { type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { EmailTemplate } from '../../domain/email-template.js';
import type { TemplateStore } from '../../ports/template-store.js';
import { type ItemType, mustNotExist } from './items.js';
import { keys } from './keys.js';
import { sameContent } from './same-content.js';
import { isConditionalCheckFailure } from './transactions.js';

const TemplateVersion = z.object({
  template: EmailTemplate,
  version: z.number().int().min(1),
  publishedAt: z.iso.datetime(),
});
type TemplateVersion = z.infer<typeof TemplateVersion>;

export class DynamoTemplateStore implements TemplateStore {
  constructor(
    private readonly documentClient: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(templateId: string): Promise<EmailTemplate | undefined> {
    return (await this.latest(templateId))?.template;
  }

  async publish(template: EmailTemplate, publishedAt: Date): Promise<{ version: number }> {
    try {
      return await this.publishAfterLatest(template, publishedAt);
    } catch (error) {
      // Two publishers raced for the same version number: read again, once.
      if (!isConditionalCheckFailure(error)) throw error;
      return await this.publishAfterLatest(template, publishedAt);
    }
  }

  private async publishAfterLatest(template: EmailTemplate, publishedAt: Date): Promise<{ version: number }> {
    const latest = await this.latest(template.id);
    if (latest !== undefined && sameContent(latest.template, template)) return { version: latest.version };
    const next: TemplateVersion = {
      template,
      version: (latest?.version ?? 0) + 1,
      publishedAt: publishedAt.toISOString(),
    };
    await this.documentClient.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...keys.templateVersion(template.id, next.version),
          type: 'template-version' satisfies ItemType,
          ...next,
        },
        ConditionExpression: mustNotExist,
      }),
    );
    return { version: next.version };
  }

  private async latest(templateId: string): Promise<TemplateVersion | undefined> {
    const { Items } = await this.documentClient.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: {
          ':pk': keys.templateVersion(templateId, 1).PK,
          ':prefix': keys.versionPrefix,
        },
        ScanIndexForward: false,
        Limit: 1,
        ConsistentRead: true,
      }),
    );
    const item = Items?.[0];
    return item === undefined ? undefined : TemplateVersion.parse(item);
  }
}
