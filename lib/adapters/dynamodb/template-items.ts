import { z } from 'zod';
import type { SendableTemplate } from '../../domain/compiled-email.js';
import { CompiledEmail } from '../../domain/compiled-email.js';
import { EmailTemplate } from '../../domain/email-template.js';
import type { TemplateVersion } from '../../domain/template-answers.js';

export const StoredVersion = z.object({
  template: EmailTemplate,
  version: z.number().int().min(1),
  publishedAt: z.iso.datetime(),
  /**
   * What the version compiles to (lib/templates/compile-email.ts). Absent on a version
   * stored before templates were compiled; one that no longer reads is compiled again
   * like it, rather than making the version unreadable.
   */
  compiled: CompiledEmail.optional().catch(undefined),
});

/** A version as the admin API shows it: its content, without the HTML it compiles to. */
export const versionOf = ({
  template,
  version,
  publishedAt,
}: z.infer<typeof StoredVersion>): TemplateVersion => ({
  template,
  version,
  publishedAt,
});

/** A version as deliver reads it: the template, its number, and its HTML when it has been compiled. */
export const sendableOf = ({
  template,
  version,
  compiled,
}: z.infer<typeof StoredVersion>): SendableTemplate => ({
  ...template,
  version,
  ...(compiled === undefined ? {} : { compiled }),
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
