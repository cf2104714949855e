import { z } from 'zod';
import { EmailTemplate } from '../domain/email-template.js';
import { EventSnapshot, TriggerSnapshot } from '../domain/enrollment.js';
import { ConflictError, NotFoundError, ValidationError } from '../domain/errors.js';
import type {
  RenderedEmail,
  RenderedSource,
  TemplateDetails,
  TemplateDraft,
  TemplatePreview,
  TemplateSummary,
} from '../domain/template-answers.js';
import type { Clock } from '../ports/clock.js';
import type { ContactStore } from '../ports/contact-store.js';
import type { TemplateStore } from '../ports/template-store.js';
import { compileEmail } from '../templates/compile-email.js';
import { type RenderInput, templateNames, unknownTemplateNames } from '../templates/render-email.js';
import { TemplateRenderError } from '../templates/template-render-error.js';
import { type Problem, problemsOf, refuse, rootPath } from './admin/problems.js';
import { contactRenderInput } from './contact-render-input.js';

export interface ManageTemplatesDeps {
  templates: TemplateStore;
  clock: Clock;
  /** A preview or a test for a chosen contact renders with what is on record for them. */
  contacts: Pick<ContactStore, 'get'>;
  render: (template: EmailTemplate, input: RenderInput) => Promise<RenderedEmail>;
  settings: {
    /** Sample links point here, so a preview's buttons look like the real ones. */
    publicBaseUrl: string;
    postalAddress: string;
    /** The From address, e.g. `"Rapport Books" <news@example.com>`. */
    sender: string;
    /** Dates for a chosen contact without a time zone of their own, as deliver shows them. */
    defaultTimeZone: string;
  };
}

/** Who a preview or a trial render is addressed to, unless the caller says otherwise. */
export const sampleContact = {
  email: 'sample.reader@example.com',
  name: 'Sam Sample',
  topics: ['newsletter'],
};

/**
 * The links the deliver function would give a message of this kind, pointing at
 * the real routes but with a placeholder token: previews are never clickable
 * unsubscribes. A template that needs a link its kind does not get fails here as
 * it would at send time.
 */
const sampleLinks = (deps: ManageTemplatesDeps, kind: EmailTemplate['kind']): RenderInput['links'] => {
  const link = (path: string) => `${deps.settings.publicBaseUrl}${path}?token=preview`;
  return kind === 'marketing'
    ? { unsubscribe: link('/v1/unsubscribe'), preferences: link('/v1/preferences') }
    : { confirm: link('/v1/confirm') };
};

/** The display name of the From address, read the same way the deliver function reads it. */
const senderName = (sender: string): string => /^\s*"?([^"<]+?)"?\s*</.exec(sender)?.[1] ?? sender;

const templateFields = ['subject', 'text', 'preheader', 'mjml'] as const;

/** Names the template field a render problem came from, so the author knows where to look. */
const renderProblem = (template: EmailTemplate, problem: string): Problem => {
  for (const field of templateFields) {
    const prefix = `${field}: `;
    if (problem.startsWith(prefix)) return { path: field, message: problem.slice(prefix.length) };
  }
  const link = /links\.(\w+)/.exec(problem)?.[1];
  const usedIn = templateFields.find(
    (field) => link !== undefined && (template[field] ?? '').includes(`links.${link}`),
  );
  return { path: usedIn ?? rootPath, message: problem };
};

const render = async (
  deps: ManageTemplatesDeps,
  template: EmailTemplate,
  contact: Record<string, unknown>,
  context: Pick<RenderInput, 'trigger' | 'event'> = {},
  reader: RenderInput['contact'] = sampleContact,
): Promise<RenderedEmail> =>
  deps.render(template, {
    ...context,
    contact: { ...reader, ...contact },
    links: sampleLinks(deps, template.kind),
    postalAddress: deps.settings.postalAddress,
    sender: { name: senderName(deps.settings.sender) },
  });

/** A trial render with the sample contact: broken Liquid or MJML is refused before anything is stored. */
const renderProblems = async (deps: ManageTemplatesDeps, template: EmailTemplate): Promise<Problem[]> => {
  try {
    await render(deps, template, {});
    return [];
  } catch (error) {
    if (error instanceof TemplateRenderError) return [renderProblem(template, error.problem)];
    throw error;
  }
};

export const listTemplates = async (
  deps: ManageTemplatesDeps,
): Promise<{ templates: TemplateSummary[] }> => ({
  templates: (await deps.templates.list()).sort((a, b) => a.templateId.localeCompare(b.templateId)),
});

export const getTemplate = async (
  deps: ManageTemplatesDeps,
  templateId: string,
): Promise<TemplateDetails> => {
  const [latest, draft] = await Promise.all([
    deps.templates.latest(templateId),
    deps.templates.getDraft(templateId),
  ]);
  if (latest === undefined && draft === undefined) {
    throw new NotFoundError(`there is no template "${templateId}"`);
  }
  return { templateId, latest: latest ?? null, draft: draft ?? null };
};

const checkedTemplate = async (
  deps: ManageTemplatesDeps,
  templateId: string,
  input: unknown,
  refusal: string,
): Promise<EmailTemplate> => {
  const parsed = EmailTemplate.safeParse(input);
  if (!parsed.success) throw refuse(problemsOf(parsed.error), refusal);
  if (parsed.data.id !== templateId) {
    throw new ValidationError({ id: `must be "${templateId}", the template id in the path` }, refusal);
  }
  const problems = await renderProblems(deps, parsed.data);
  if (problems.length > 0) throw refuse(problems, refusal);
  return parsed.data;
};

/** Legal but almost always a mistake: a name the template reads that its input never has. */
const unknownNameWarnings = (template: EmailTemplate): Problem[] =>
  unknownTemplateNames(template).map(({ field, name }) => ({
    path: field,
    message: `"${name}" is not something a template sees (${templateNames.join(', ')}); it renders as nothing`,
  }));

/** Stores the draft once it renders; names it reads that no message has come back as warnings. */
export const putTemplateDraft = async (
  deps: ManageTemplatesDeps,
  templateId: string,
  body: unknown,
): Promise<TemplateDraft & { warnings: Problem[] }> => {
  const template = await checkedTemplate(
    deps,
    templateId,
    body,
    'the template is not valid; nothing was stored',
  );
  return {
    ...(await deps.templates.putDraft(template, deps.clock.now())),
    warnings: unknownNameWarnings(template),
  };
};

/**
 * Renders the draft again before publishing (the layout it is placed in may have changed
 * since it was saved) and publishes it with the HTML it compiles to, which deliver sends.
 */
export const publishTemplate = async (
  deps: ManageTemplatesDeps,
  templateId: string,
): Promise<{ templateId: string; version: number }> => {
  const draft = await deps.templates.getDraft(templateId);
  if (draft === undefined) {
    throw new ConflictError(
      `template "${templateId}" has no draft to publish; PUT /admin/templates/${templateId}/draft first`,
    );
  }
  const template = await checkedTemplate(
    deps,
    templateId,
    draft.template,
    'the draft is not valid; nothing was published',
  );
  const { version } = await deps.templates.publishDraft(
    template,
    await compileEmail(template),
    draft.revision,
    deps.clock.now(),
  );
  return { templateId, version };
};

export const templateVersions = async (
  deps: ManageTemplatesDeps,
  templateId: string,
): Promise<{ templateId: string; versions: Array<{ version: number; publishedAt: string }> }> => {
  const versions = await deps.templates.versions(templateId);
  if (versions.length === 0 && (await deps.templates.getDraft(templateId)) === undefined) {
    throw new NotFoundError(`there is no template "${templateId}"`);
  }
  return { templateId, versions };
};

/** What a preview or a test renders the template for, as a journey's message would carry it. */
export const RenderFor = z.object({
  /** The contact on record to render for, instead of the sample one. */
  contactId: z.string().min(1).optional(),
  /** Merged over the sample contact (or the chosen one), e.g. `{ "name": "Ada", "topics": ["offers"] }`. */
  contact: z.record(z.string(), z.unknown()).optional(),
  /** What a journey message carries: the event that started the enrollment (with `item`), and the one that led to the send. */
  trigger: TriggerSnapshot.optional(),
  event: EventSnapshot.optional(),
});
export type RenderFor = z.infer<typeof RenderFor>;

export const PreviewRequest = RenderFor.extend({
  /** Content not saved yet (an editor's), rendered instead of the stored draft; its `id` is the path's. */
  template: EmailTemplate.optional(),
}).optional();

/** The template content to render, and which it is. */
export type RenderSource = RenderedSource & { template: EmailTemplate };

/** The draft if there is one, else the latest version. */
export const storedSource = async (deps: ManageTemplatesDeps, templateId: string): Promise<RenderSource> => {
  const { latest, draft } = await getTemplate(deps, templateId);
  if (draft !== null) return { source: 'draft', template: draft.template };
  if (latest !== null) return { source: 'version', version: latest.version, template: latest.template };
  throw new NotFoundError(`there is no template "${templateId}"`);
};

/**
 * Renders `source` as a message to the chosen contact (or the sample one) would
 * be, with placeholder links. A problem in the template names its field; a
 * contact the request names but the store does not have, or a bad `contact`,
 * names the request's field.
 */
export const renderTrial = async (
  deps: ManageTemplatesDeps,
  source: RenderSource,
  request: RenderFor,
): Promise<RenderedEmail> => {
  const { contactId, contact = {}, trigger, event } = request;
  let reader: RenderInput['contact'] = sampleContact;
  if (contactId !== undefined) {
    const found = await deps.contacts.get(contactId);
    if (found === undefined) {
      throw new ValidationError({ contactId: `there is no contact "${contactId}"` }, 'nothing was rendered');
    }
    reader = contactRenderInput(found, deps.settings.defaultTimeZone);
  }
  try {
    return await render(
      deps,
      source.template,
      contact,
      {
        ...(trigger === undefined ? {} : { trigger }),
        ...(event === undefined ? {} : { event }),
      },
      reader,
    );
  } catch (error) {
    if (!(error instanceof TemplateRenderError)) throw error;
    const problem = renderProblem(source.template, error.problem);
    // A bad contact in the request is the caller's field; anything else is the template's.
    const inputProblem = /^invalid render input: (.*)$/.exec(problem.message)?.[1];
    throw new ValidationError(
      inputProblem === undefined ? { [problem.path]: problem.message } : { contact: inputProblem },
      'the template could not be rendered',
    );
  }
};

/**
 * Renders the content sent with the request, else the draft if there is one,
 * else the latest version, for a sample contact (or the one named or given).
 */
export const previewTemplate = async (
  deps: ManageTemplatesDeps,
  templateId: string,
  body: unknown,
): Promise<TemplatePreview> => {
  const request = PreviewRequest.safeParse(body);
  if (!request.success) throw refuse(problemsOf(request.error), 'the preview request is not valid');
  const { template, ...renderFor } = request.data ?? {};
  if (template !== undefined && template.id !== templateId) {
    throw new ValidationError(
      { 'template.id': `must be "${templateId}", the template id in the path` },
      'the preview request is not valid',
    );
  }
  const source: RenderSource =
    template === undefined ? await storedSource(deps, templateId) : { source: 'draft', template };
  const rendered = await renderTrial(deps, source, renderFor);
  return source.source === 'version'
    ? { templateId, source: 'version', version: source.version, ...rendered }
    : { templateId, source: 'draft', ...rendered };
};
