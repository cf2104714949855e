import type { CompiledEmail, SendableTemplate } from '../domain/compiled-email.js';
import type { EmailTemplate } from '../domain/email-template.js';
import type { TemplateDraft, TemplateSummary, TemplateVersion } from '../domain/template-answers.js';

export type { CompiledEmail, SendableTemplate } from '../domain/compiled-email.js';
export type { TemplateDraft, TemplateSummary, TemplateVersion } from '../domain/template-answers.js';

export interface TemplateStore {
  /** The latest published version. */
  get(templateId: string): Promise<EmailTemplate | undefined>;
  /**
   * Stores the next immutable version with the HTML it compiles to. Publishing one
   * identical to the latest makes no version, and stores `compiled` on the latest.
   */
  publish(template: EmailTemplate, compiled: CompiledEmail, publishedAt: Date): Promise<{ version: number }>;
  latest(templateId: string): Promise<TemplateVersion | undefined>;
  /** The latest published version with its compiled HTML, as deliver sends it. */
  forSending(templateId: string): Promise<SendableTemplate | undefined>;
  /**
   * Stores what a published version compiles to now: for a version stored before
   * templates were compiled, or after the layout changed. Its content stays as published.
   */
  putCompiled(templateId: string, version: number, compiled: CompiledEmail): Promise<void>;
  /** One published version, e.g. to send a test of it. */
  version(templateId: string, version: number): Promise<TemplateVersion | undefined>;
  /** Publishes the draft (validated by the caller at `revision`) and removes it; ConcurrentUpdateError if it was saved again meanwhile. */
  publishDraft(
    template: EmailTemplate,
    compiled: CompiledEmail,
    revision: number,
    publishedAt: Date,
  ): Promise<{ version: number }>;
  /** Oldest first. */
  versions(templateId: string): Promise<Array<{ version: number; publishedAt: string }>>;
  getDraft(templateId: string): Promise<TemplateDraft | undefined>;
  /** Creates or replaces the draft. */
  putDraft(template: EmailTemplate, updatedAt: Date): Promise<TemplateDraft>;
  list(): Promise<TemplateSummary[]>;
}
