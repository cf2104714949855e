import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { z } from 'zod';
import { EmailTemplate } from '../../domain/email-template.js';
import { ConcurrentUpdateError, NotFoundError } from '../../domain/errors.js';
import type {
  CompiledEmail,
  SendableTemplate,
  TemplateDraft,
  TemplateStore,
  TemplateSummary,
  TemplateVersion,
} from '../../ports/template-store.js';
import { type ItemType, mustNotExist, putNew, putOverRevision } from './items.js';
import { keys } from './keys.js';
import { queryAll } from './query-all.js';
import { sameContent } from './same-content.js';
import {
  StoredDraft,
  StoredVersion,
  sendableOf,
  TemplatePointer,
  VersionListing,
  versionOf,
} from './template-items.js';
import { isConditionalCheckFailure, type TransactItem, transactWrite } from './transactions.js';

class PublishRaceError extends Error {
  override readonly name = 'PublishRaceError';
}

export class DynamoTemplateStore implements TemplateStore {
  constructor(
    private readonly documentClient: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(templateId: string): Promise<EmailTemplate | undefined> {
    return (await this.latest(templateId))?.template;
  }

  async publish(
    template: EmailTemplate,
    compiled: CompiledEmail,
    publishedAt: Date,
  ): Promise<{ version: number }> {
    try {
      return await this.publishAfterLatest(template, compiled, publishedAt, undefined);
    } catch (error) {
      // Two publishers raced for the same version number: read again, once.
      if (!(error instanceof PublishRaceError)) throw error;
      return await this.publishAfterLatest(template, compiled, publishedAt, undefined);
    }
  }

  async publishDraft(
    template: EmailTemplate,
    compiled: CompiledEmail,
    revision: number,
    publishedAt: Date,
  ): Promise<{ version: number }> {
    try {
      return await this.publishAfterLatest(template, compiled, publishedAt, revision);
    } catch (error) {
      if (!(error instanceof PublishRaceError)) throw error;
      throw new ConcurrentUpdateError(`template ${template.id} was changed by someone else meanwhile`);
    }
  }

  async latest(templateId: string): Promise<TemplateVersion | undefined> {
    const stored = await this.latestStored(templateId);
    return stored === undefined ? undefined : versionOf(stored);
  }

  async forSending(templateId: string): Promise<SendableTemplate | undefined> {
    const stored = await this.latestStored(templateId);
    return stored === undefined ? undefined : sendableOf(stored);
  }

  async putCompiled(templateId: string, version: number, compiled: CompiledEmail): Promise<void> {
    try {
      await this.documentClient.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.templateVersion(templateId, version),
          UpdateExpression: 'SET compiled = :compiled',
          ConditionExpression: 'attribute_exists(PK)',
          ExpressionAttributeValues: { ':compiled': compiled },
        }),
      );
    } catch (error) {
      if (!isConditionalCheckFailure(error)) throw error;
      throw new NotFoundError(`template ${templateId} has no version ${version}`);
    }
  }

  private async latestStored(templateId: string): Promise<z.infer<typeof StoredVersion> | undefined> {
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
    return item === undefined ? undefined : StoredVersion.parse(item);
  }

  async version(templateId: string, version: number): Promise<TemplateVersion | undefined> {
    const { Item } = await this.documentClient.send(
      new GetCommand({
        TableName: this.tableName,
        Key: keys.templateVersion(templateId, version),
        ConsistentRead: true,
      }),
    );
    return Item === undefined ? undefined : versionOf(StoredVersion.parse(Item));
  }

  async versions(templateId: string): Promise<Array<{ version: number; publishedAt: string }>> {
    const items = await queryAll(this.documentClient, {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ProjectionExpression: '#version, publishedAt',
      ExpressionAttributeNames: { '#version': 'version' },
      ExpressionAttributeValues: {
        ':pk': keys.templateVersion(templateId, 1).PK,
        ':prefix': keys.versionPrefix,
      },
      ConsistentRead: true,
    });
    return items.map((item) => VersionListing.parse(item));
  }

  async getDraft(templateId: string): Promise<TemplateDraft | undefined> {
    const { Item } = await this.documentClient.send(
      new GetCommand({
        TableName: this.tableName,
        Key: keys.templateDraft(templateId),
        ConsistentRead: true,
      }),
    );
    return Item === undefined ? undefined : StoredDraft.parse(Item);
  }

  async putDraft(template: EmailTemplate, updatedAt: Date): Promise<TemplateDraft> {
    const [pointer, previous] = await Promise.all([this.pointer(template.id), this.getDraft(template.id)]);
    const draft: TemplateDraft = {
      // Through JSON, so what is returned is what a later read gives back (no undefined attributes).
      template: EmailTemplate.parse(JSON.parse(JSON.stringify(template))),
      revision: (previous?.revision ?? 0) + 1,
      updatedAt: updatedAt.toISOString(),
    };
    // While nothing is published the draft is all there is to list, so it describes the template.
    const describesTemplate = pointer === undefined || pointer.latestVersion === 0;
    const cancellation = await transactWrite(this.documentClient, [
      putOverRevision(
        this.tableName,
        { ...keys.templateDraft(template.id), type: 'template-draft' satisfies ItemType, ...draft },
        previous?.revision,
      ),
      {
        Update: {
          TableName: this.tableName,
          Key: keys.templatePointer(template.id),
          UpdateExpression: describesTemplate
            ? 'SET hasDraft = :true, templateId = :id, #type = :type, #kind = :kind, #subject = :subject, latestVersion = if_not_exists(latestVersion, :zero)'
            : 'SET hasDraft = :true',
          ExpressionAttributeValues: {
            ':true': true,
            ...(describesTemplate
              ? {
                  ':id': template.id,
                  ':type': 'template-pointer' satisfies ItemType,
                  ':kind': template.kind,
                  ':subject': template.subject,
                  ':zero': 0,
                }
              : {}),
          },
          ...(describesTemplate
            ? { ExpressionAttributeNames: { '#type': 'type', '#kind': 'kind', '#subject': 'subject' } }
            : {}),
        },
      },
    ]);
    if (cancellation !== undefined) {
      throw new ConcurrentUpdateError(
        `the draft of template ${template.id} was saved by someone else meanwhile`,
      );
    }
    return draft;
  }

  async list(): Promise<TemplateSummary[]> {
    const items = await queryAll(this.documentClient, {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': keys.templatePointerPartition },
    });
    return items.map((item) => TemplatePointer.parse(item));
  }

  private async publishAfterLatest(
    template: EmailTemplate,
    compiled: CompiledEmail,
    publishedAt: Date,
    draftRevision: number | undefined,
  ): Promise<{ version: number }> {
    const latest = await this.latestStored(template.id);
    if (latest !== undefined && sameContent(latest.template, template)) {
      await this.settleUnchanged(versionOf(latest), draftRevision);
      // The same content may compile to other HTML since (a new layout): the latest gets what it compiles to now.
      if (latest.compiled === undefined || !sameContent(latest.compiled, compiled)) {
        await this.putCompiled(template.id, latest.version, compiled);
      }
      return { version: latest.version };
    }
    const next: TemplateVersion = {
      template,
      version: (latest?.version ?? 0) + 1,
      publishedAt: publishedAt.toISOString(),
    };
    const items: TransactItem[] = [
      putNew(this.tableName, {
        ...keys.templateVersion(template.id, next.version),
        type: 'template-version' satisfies ItemType,
        ...next,
        compiled,
      }),
      this.pointerUpdate(template, next.version, draftRevision !== undefined),
    ];
    if (draftRevision !== undefined) items.push(this.deleteDraft(template.id, draftRevision));
    const cancellation = await transactWrite(this.documentClient, items);
    if (cancellation !== undefined) throw new PublishRaceError(template.id);
    return { version: next.version };
  }

  /**
   * Publishing what is already the latest version makes no version. A draft is
   * spent all the same, and a template published before pointers existed gets one,
   * so the list shows it.
   */
  private async settleUnchanged(latest: TemplateVersion, draftRevision: number | undefined): Promise<void> {
    if (draftRevision !== undefined) {
      const cancellation = await transactWrite(this.documentClient, [
        this.deleteDraft(latest.template.id, draftRevision),
        this.pointerUpdate(latest.template, latest.version, true),
      ]);
      if (cancellation !== undefined) throw new PublishRaceError(latest.template.id);
      return;
    }
    if ((await this.pointer(latest.template.id)) !== undefined) return;
    try {
      await this.documentClient.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...keys.templatePointer(latest.template.id),
            type: 'template-pointer' satisfies ItemType,
            templateId: latest.template.id,
            kind: latest.template.kind,
            subject: latest.template.subject,
            latestVersion: latest.version,
            hasDraft: false,
          },
          ConditionExpression: mustNotExist,
        }),
      );
    } catch (error) {
      // Someone else wrote it first, which is just as good.
      if (!isConditionalCheckFailure(error)) throw error;
    }
  }

  private pointerUpdate(template: EmailTemplate, version: number, draftSpent: boolean): TransactItem {
    return {
      Update: {
        TableName: this.tableName,
        Key: keys.templatePointer(template.id),
        UpdateExpression: `SET templateId = :id, #type = :type, #kind = :kind, #subject = :subject, latestVersion = :version${
          draftSpent ? ', hasDraft = :false' : ''
        }`,
        // Never move the pointer back past a version someone else published.
        ConditionExpression: 'attribute_not_exists(latestVersion) OR latestVersion <= :version',
        ExpressionAttributeNames: { '#type': 'type', '#kind': 'kind', '#subject': 'subject' },
        ExpressionAttributeValues: {
          ':id': template.id,
          ':type': 'template-pointer' satisfies ItemType,
          ':kind': template.kind,
          ':subject': template.subject,
          ':version': version,
          ...(draftSpent ? { ':false': false } : {}),
        },
      },
    };
  }

  private deleteDraft(templateId: string, revision: number): TransactItem {
    return {
      Delete: {
        TableName: this.tableName,
        Key: keys.templateDraft(templateId),
        ConditionExpression: 'revision = :revision',
        ExpressionAttributeValues: { ':revision': revision },
      },
    };
  }

  private async pointer(templateId: string): Promise<z.infer<typeof TemplatePointer> | undefined> {
    const { Item } = await this.documentClient.send(
      new GetCommand({
        TableName: this.tableName,
        Key: keys.templatePointer(templateId),
        ConsistentRead: true,
      }),
    );
    return Item === undefined ? undefined : TemplatePointer.parse(Item);
  }
}
