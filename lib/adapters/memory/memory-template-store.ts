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
import type { ItemType } from '../dynamodb/items.js';
import { keys } from '../dynamodb/keys.js';
import { sameContent } from '../dynamodb/same-content.js';
import {
  StoredDraft,
  StoredVersion,
  sendableOf,
  TemplatePointer,
  VersionListing,
  versionOf,
} from '../dynamodb/template-items.js';
import { attributeIs, itemAbsent, type MemoryTable, type TableWrite } from './memory-table.js';

class PublishRaceError extends Error {
  override readonly name = 'PublishRaceError';
}

/** Templates, their versions, drafts and pointers on the memory table, as DynamoTemplateStore keeps them. */
export class MemoryTemplateStore implements TemplateStore {
  constructor(private readonly table: MemoryTable) {}

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
    const outcome = this.table.write({
      update: keys.templateVersion(templateId, version),
      apply: (current) => ({ ...current, compiled }),
      condition: (current) => current !== undefined,
    });
    if (!outcome.written) throw new NotFoundError(`template ${templateId} has no version ${version}`);
  }

  private async latestStored(templateId: string): Promise<z.infer<typeof StoredVersion> | undefined> {
    const { items } = await this.table.query(keys.templateVersion(templateId, 1).PK, {
      prefix: keys.versionPrefix,
      descending: true,
      limit: 1,
    });
    const item = items[0];
    return item === undefined ? undefined : StoredVersion.parse(item);
  }

  async version(templateId: string, version: number): Promise<TemplateVersion | undefined> {
    const item = await this.table.get(keys.templateVersion(templateId, version));
    return item === undefined ? undefined : versionOf(StoredVersion.parse(item));
  }

  async versions(templateId: string): Promise<Array<{ version: number; publishedAt: string }>> {
    const items = await this.table.queryAll(keys.templateVersion(templateId, 1).PK, {
      prefix: keys.versionPrefix,
    });
    return items.map((item) => VersionListing.parse(item));
  }

  async getDraft(templateId: string): Promise<TemplateDraft | undefined> {
    const item = await this.table.get(keys.templateDraft(templateId));
    return item === undefined ? undefined : StoredDraft.parse(item);
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
    const cancellation = await this.table.transact([
      {
        put: { ...keys.templateDraft(template.id), type: 'template-draft' satisfies ItemType, ...draft },
        condition: previous === undefined ? itemAbsent : attributeIs('revision', previous.revision),
      },
      {
        update: keys.templatePointer(template.id),
        apply: (current) =>
          describesTemplate
            ? {
                ...current,
                hasDraft: true,
                templateId: template.id,
                type: 'template-pointer' satisfies ItemType,
                kind: template.kind,
                subject: template.subject,
                latestVersion: current?.latestVersion ?? 0,
              }
            : { ...current, hasDraft: true },
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
    const items = await this.table.queryAll(keys.templatePointerPartition);
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
    const writes: TableWrite[] = [
      {
        put: {
          ...keys.templateVersion(template.id, next.version),
          type: 'template-version' satisfies ItemType,
          ...next,
          compiled,
        },
        condition: itemAbsent,
      },
      this.pointerUpdate(template, next.version, draftRevision !== undefined),
    ];
    if (draftRevision !== undefined) writes.push(this.deleteDraft(template.id, draftRevision));
    const cancellation = await this.table.transact(writes);
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
      const cancellation = await this.table.transact([
        this.deleteDraft(latest.template.id, draftRevision),
        this.pointerUpdate(latest.template, latest.version, true),
      ]);
      if (cancellation !== undefined) throw new PublishRaceError(latest.template.id);
      return;
    }
    if ((await this.pointer(latest.template.id)) !== undefined) return;
    // Someone else writing it first is just as good.
    await this.table.write({
      put: {
        ...keys.templatePointer(latest.template.id),
        type: 'template-pointer' satisfies ItemType,
        templateId: latest.template.id,
        kind: latest.template.kind,
        subject: latest.template.subject,
        latestVersion: latest.version,
        hasDraft: false,
      },
      condition: itemAbsent,
    });
  }

  private pointerUpdate(template: EmailTemplate, version: number, draftSpent: boolean): TableWrite {
    return {
      update: keys.templatePointer(template.id),
      apply: (current) => ({
        ...current,
        templateId: template.id,
        type: 'template-pointer' satisfies ItemType,
        kind: template.kind,
        subject: template.subject,
        latestVersion: version,
        ...(draftSpent ? { hasDraft: false } : {}),
      }),
      // Never move the pointer back past a version someone else published.
      condition: (current) =>
        current === undefined ||
        current.latestVersion === undefined ||
        (typeof current.latestVersion === 'number' && current.latestVersion <= version),
    };
  }

  private deleteDraft(templateId: string, revision: number): TableWrite {
    return { delete: keys.templateDraft(templateId), condition: attributeIs('revision', revision) };
  }

  private async pointer(templateId: string): Promise<z.infer<typeof TemplatePointer> | undefined> {
    const item = await this.table.get(keys.templatePointer(templateId));
    return item === undefined ? undefined : TemplatePointer.parse(item);
  }
}
