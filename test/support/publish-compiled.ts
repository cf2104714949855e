import type { EmailTemplate } from '../../lib/domain/email-template.js';
import type { TemplateStore } from '../../lib/ports/template-store.js';
import { compileEmail } from '../../lib/templates/compile-email.js';

/** Publishes a template straight into a store, compiled as the admin API and the content seed publish it. */
export const publishCompiled = async (
  templates: Pick<TemplateStore, 'publish'>,
  template: EmailTemplate,
  publishedAt: Date,
): Promise<{ version: number }> => templates.publish(template, await compileEmail(template), publishedAt);
