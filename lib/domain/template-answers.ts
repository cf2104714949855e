import { z } from 'zod';
import { EmailTemplate } from './email-template.js';
import { Problem } from './problem.js';

/** A published, immutable version of a template. */
export const TemplateVersion = z.object({
  template: EmailTemplate,
  version: z.number().int().min(1),
  publishedAt: z.iso.datetime(),
});
export type TemplateVersion = z.infer<typeof TemplateVersion>;

/** The one editable draft of a template. */
export const TemplateDraft = z.object({
  template: EmailTemplate,
  /** Counts the saves; publishing names the revision it validated, so a save in between is not lost. */
  revision: z.number().int().min(1),
  updatedAt: z.iso.datetime(),
});
export type TemplateDraft = z.infer<typeof TemplateDraft>;

/** A template as the list shows it (`GET /admin/templates`). */
export const TemplateSummary = z.object({
  templateId: z.string(),
  kind: EmailTemplate.shape.kind,
  subject: z.string(),
  /** 0 until the first version is published. */
  latestVersion: z.number().int().min(0),
  hasDraft: z.boolean(),
});
export type TemplateSummary = z.infer<typeof TemplateSummary>;

export const TemplateList = z.object({ templates: z.array(TemplateSummary) });
export type TemplateList = z.infer<typeof TemplateList>;

/** One template: its latest version and its draft, either of which may be missing (`GET /admin/templates/{id}`). */
export const TemplateDetails = z.object({
  templateId: z.string(),
  latest: TemplateVersion.nullable(),
  draft: TemplateDraft.nullable(),
});
export type TemplateDetails = z.infer<typeof TemplateDetails>;

/** A saved draft, with the names it reads that no message has (`PUT /admin/templates/{id}/draft`). */
export const TemplateDraftSaved = TemplateDraft.extend({ warnings: z.array(Problem) });
export type TemplateDraftSaved = z.infer<typeof TemplateDraftSaved>;

/** `POST /admin/templates/{id}/publish`. */
export const TemplatePublished = z.object({ templateId: z.string(), version: z.number().int().min(1) });
export type TemplatePublished = z.infer<typeof TemplatePublished>;

/** Oldest first (`GET /admin/templates/{id}/versions`). */
export const TemplateVersionList = z.object({
  templateId: z.string(),
  versions: z.array(TemplateVersion.pick({ version: true, publishedAt: true })),
});
export type TemplateVersionList = z.infer<typeof TemplateVersionList>;

/** An email as a template renders it. */
export const RenderedEmail = z.object({ subject: z.string(), text: z.string(), html: z.string() });
export type RenderedEmail = z.infer<typeof RenderedEmail>;

/** Which content was rendered: the draft (saved or sent with the request), or a published version. */
export const RenderedSource = z.discriminatedUnion('source', [
  z.object({ source: z.literal('draft') }),
  z.object({ source: z.literal('version'), version: z.number().int().min(1) }),
]);
export type RenderedSource = z.infer<typeof RenderedSource>;

/** `POST /admin/templates/{id}/preview`. */
export const TemplatePreview = z.intersection(
  RenderedEmail.extend({ templateId: z.string() }),
  RenderedSource,
);
export type TemplatePreview = z.infer<typeof TemplatePreview>;

/** `POST /admin/templates/{id}/test-send`: what went to whom, never recorded as a contact's message. */
export const TestSendReceipt = z.intersection(
  z.object({
    templateId: z.string(),
    to: z.string(),
    subject: z.string(),
    providerMessageId: z.string(),
  }),
  RenderedSource,
);
export type TestSendReceipt = z.infer<typeof TestSendReceipt>;
