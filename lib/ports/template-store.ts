import type { EmailTemplate } from '../domain/email-template.js';

export interface TemplateVersion {
  template: EmailTemplate;
  version: number;
  publishedAt: string;
}

export interface TemplateDraft {
  template: EmailTemplate;
  /** Counts the saves; publishing names the revision it validated, so a save in between is not lost. */
  revision: number;
  updatedAt: string;
}

export interface TemplateSummary {
  templateId: string;
  kind: EmailTemplate['kind'];
  subject: string;
  /** 0 until the first version is published. */
  latestVersion: number;
  hasDraft: boolean;
}

export interface TemplateStore {
  /** The latest published version. */
  get(templateId: string): Promise<EmailTemplate | undefined>;
  /** Stores the next immutable version; publishing one identical to the latest is a no-op. */
  publish(template: EmailTemplate, publishedAt: Date): Promise<{ version: number }>;
  latest(templateId: string): Promise<TemplateVersion | undefined>;
  /** Publishes the draft (validated by the caller at `revision`) and removes it; ConcurrentUpdateError if it was saved again meanwhile. */
  publishDraft(template: EmailTemplate, revision: number, publishedAt: Date): Promise<{ version: number }>;
  /** Oldest first. */
  versions(templateId: string): Promise<Array<{ version: number; publishedAt: string }>>;
  getDraft(templateId: string): Promise<TemplateDraft | undefined>;
  /** Creates or replaces the draft. */
  putDraft(template: EmailTemplate, updatedAt: Date): Promise<TemplateDraft>;
  list(): Promise<TemplateSummary[]>;
}
