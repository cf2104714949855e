import type { EmailTemplate } from '../domain/email-template.js';

export interface TemplateStore {
  /** The latest published version. */
  get(templateId: string): Promise<EmailTemplate | undefined>;
  /** Stores the next immutable version; publishing one identical to the latest is a no-op. */
  publish(template: EmailTemplate, publishedAt: Date): Promise<{ version: number }>;
}
