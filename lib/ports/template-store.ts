import type { EmailTemplate } from '../domain/email-template.js';
import type { TemplateDraft, TemplateSummary, TemplateVersion } from '../domain/template-answers.js';

export type { TemplateDraft, TemplateSummary, TemplateVersion } from '../domain/template-answers.js';

export interface TemplateStore {
  /** The latest published version. */
  get(templateId: string): Promise<EmailTemplate | undefined>;
  /** Stores the next immutable version; publishing one identical to the latest is a no-op. */
  publish(template: EmailTemplate, publishedAt: Date): Promise<{ version: number }>;
  latest(templateId: string): Promise<TemplateVersion | undefined>;
  /** One published version, e.g. to send a test of it. */
  version(templateId: string, version: number): Promise<TemplateVersion | undefined>;
  /** Publishes the draft (validated by the caller at `revision`) and removes it; ConcurrentUpdateError if it was saved again meanwhile. */
  publishDraft(template: EmailTemplate, revision: number, publishedAt: Date): Promise<{ version: number }>;
  /** Oldest first. */
  versions(templateId: string): Promise<Array<{ version: number; publishedAt: string }>>;
  getDraft(templateId: string): Promise<TemplateDraft | undefined>;
  /** Creates or replaces the draft. */
  putDraft(template: EmailTemplate, updatedAt: Date): Promise<TemplateDraft>;
  list(): Promise<TemplateSummary[]>;
}
