import { z } from 'zod';
import { EmailTemplate } from '../../domain/email-template.js';

export const StoredVersion = z.object({
  template: EmailTemplate,
  version: z.number().int().min(1),
  publishedAt: z.iso.datetime(),
});

export const StoredDraft = z.object({
  template: EmailTemplate,
  revision: z.number().int().min(1),
  updatedAt: z.iso.datetime(),
});

/** One per template in the TEMPLATES partition, so the admin API lists templates without reading them. */
export const TemplatePointer = z.object({
  templateId: z.string().min(1),
  kind: EmailTemplate.shape.kind,
  subject: z.string(),
  /** 0 while the template has only a draft. */
  latestVersion: z.number().int().min(0),
  hasDraft: z.boolean().default(false),
});

export const VersionListing = z.object({ version: z.number().int().min(1), publishedAt: z.iso.datetime() });
