import type { FilterImplOptions, Liquid, Template } from 'liquidjs';
import mjml2html from 'mjml';
import { z } from 'zod';
import type { EmailTemplate } from '../domain/email-template.js';
import { messageOf } from '../domain/error-text.js';
import type { RenderedEmail } from '../domain/template-answers.js';
import { emailLayout, textFooter } from './email-layout.js';
import {
  formatCap,
  limitedEngine,
  limitProblem,
  limitReached,
  type OutputCap,
  renderLimited,
} from './limited-liquid.js';
import { RenderInput } from './render-input.js';
import { emailLimits, renderTimeLimitMs } from './render-limits.js';
import { TemplateLimitExceededError, TemplateRenderError } from './template-render-error.js';
import { type TopicLabels, topicLabel } from './topic-label.js';

export type { RenderedEmail } from '../domain/template-answers.js';
export { RenderInput } from './render-input.js';
export { TemplateLimitExceededError, TemplateRenderError } from './template-render-error.js';

export interface EmailRenderOptions {
  /** The configured topic labels (`topic_label`); a topic without one reads as its id in words. */
  topicLabels?: TopicLabels;
}

/**
 * The labels of the render a scope belongs to. The engines are shared by every render,
 * so the filter finds the labels through the scope it renders, not the engine.
 */
const topicLabelsOfScope = new WeakMap<object, TopicLabels>();

type FilterImpl = ThisParameterType<Extract<FilterImplOptions, (...args: never[]) => unknown>>;

function topicLabelFilter(this: FilterImpl, value: unknown): string {
  return topicLabel(String(value ?? ''), topicLabelsOfScope.get(this.context.environments));
}

const createEngine = (escapeHtml: boolean): Liquid => {
  const engine = limitedEngine(
    { ...emailLimits.liquid, capture: { max: emailLimits.fieldBytes.mjml, unit: 'bytes' } },
    escapeHtml,
  );
  engine.registerFilter('topic_label', topicLabelFilter);
  return engine;
};

/** Subject and text are not HTML, so escaping there would show `&amp;` to the reader. */
const plain = createEngine(false);
const escaped = createEngine(true);

type Field = 'subject' | 'text' | 'preheader' | 'mjml';

/**
 * Rendering happens once per message in a warm Lambda, so parsed templates are kept.
 * The key includes the source: a new version of a template parses afresh while
 * messages still queued on the old one keep hitting the cache.
 */
const parsedCache = new Map<string, Template[]>();
const cacheLimit = 500;

const parseCached = (engine: Liquid, cacheKey: string, source: string): Template[] => {
  const key = `${cacheKey}\u0000${source}`;
  const cached = parsedCache.get(key);
  if (cached !== undefined) return cached;
  const parsed = engine.parse(source);
  if (parsedCache.size >= cacheLimit) {
    const oldest = parsedCache.keys().next();
    if (oldest.done !== true) parsedCache.delete(oldest.value);
  }
  parsedCache.set(key, parsed);
  return parsed;
};

const renderField = async (
  template: EmailTemplate,
  field: Field,
  source: string,
  context: Record<string, unknown>,
  deadline: number,
): Promise<string> => {
  const engine = field === 'subject' || field === 'text' ? plain : escaped;
  const output: OutputCap = { max: emailLimits.fieldBytes[field], unit: 'bytes' };
  try {
    const parsed = parseCached(
      engine,
      `${engine === plain ? 'plain' : 'escaped'}\u0000${template.id}\u0000${field}`,
      source,
    );
    return await renderLimited(engine, parsed, context, { output, deadline });
  } catch (error) {
    const limit = limitReached(error);
    if (limit !== undefined) {
      throw new TemplateLimitExceededError(
        template.id,
        field,
        limitProblem(limit, { output, ...emailLimits.liquid }),
      );
    }
    throw new TemplateRenderError(template.id, `${field}: ${messageOf(error)}`);
  }
};

const renderLayout = async (
  templateId: string,
  name: string,
  engine: Liquid,
  source: string,
  context: Record<string, unknown>,
): Promise<string> => {
  try {
    return String(await engine.render(parseCached(engine, `layout\u0000${name}`, source), context));
  } catch (error) {
    throw new TemplateRenderError(templateId, `${name}: ${messageOf(error)}`);
  }
};

const MjmlValidationFailure = z.object({
  errors: z.array(
    z.object({ line: z.number().optional(), message: z.string(), tagName: z.string().optional() }),
  ),
});

const compileMjml = async (templateId: string, document: string, body: string): Promise<string> => {
  // MJML reports lines of the whole document; the author only knows their body's lines.
  const bodyFirstLine = document.slice(0, document.indexOf(body)).split('\n').length;
  const describe = (issue: {
    line?: number | undefined;
    message: string;
    tagName?: string | undefined;
  }): string => {
    const where =
      issue.line !== undefined && issue.line >= bodyFirstLine
        ? `line ${issue.line - bodyFirstLine + 1} of the body`
        : 'the layout';
    return `${issue.tagName ?? 'mjml'} (${where}): ${issue.message}`;
  };
  try {
    const result = await mjml2html(document, {
      validationLevel: 'strict',
      fonts: {},
      keepComments: false,
      // Never let template content read files from the function's disk.
      ignoreIncludes: true,
    });
    if (result.errors.length > 0) {
      throw new TemplateRenderError(templateId, `mjml: ${result.errors.map(describe).join('; ')}`);
    }
    return result.html;
  } catch (error) {
    if (error instanceof TemplateRenderError) throw error;
    const validation = MjmlValidationFailure.safeParse(error);
    const problem =
      validation.success && validation.data.errors.length > 0
        ? validation.data.errors.map(describe).join('; ')
        : messageOf(error);
    throw new TemplateRenderError(templateId, `mjml: ${problem}`);
  }
};

const countComponents = (mjml: string): number => mjml.match(/<mj-/gi)?.length ?? 0;

/**
 * MJML's time grows with the components, not the bytes, so they are counted before it runs.
 * The preheader goes into the document unescaped too, so components in it count as well.
 */
const checkComponents = (templateId: string, body: string, preheader: string): void => {
  const limit = emailLimits.mjmlComponents;
  const inBody = countComponents(body);
  if (inBody > limit) {
    throw new TemplateLimitExceededError(
      templateId,
      'mjml',
      `renders ${inBody} MJML components, more than the limit of ${limit}`,
    );
  }
  const inPreheader = countComponents(preheader);
  if (inBody + inPreheader > limit) {
    throw new TemplateLimitExceededError(
      templateId,
      'preheader',
      `renders ${inPreheader} MJML components, which with the body's ${inBody} is more than the limit of ${limit}`,
    );
  }
};

/** MJML can turn a small body into a large document (a button becomes a kilobyte of tables), so the result is checked too. */
const checkHtmlSize = (templateId: string, html: string): void => {
  const bytes = Buffer.byteLength(html);
  if (bytes > emailLimits.htmlBytes) {
    const limit = formatCap({ max: emailLimits.htmlBytes, unit: 'bytes' });
    throw new TemplateLimitExceededError(
      templateId,
      'mjml',
      `compiles to ${Math.ceil(bytes / 1024)} KiB of HTML, more than the limit of ${limit}`,
    );
  }
};

const linkNames = ['unsubscribe', 'preferences', 'confirm'] as const;

/** A template that points at a link the message does not carry would send a dead button. */
const checkLinks = (template: EmailTemplate, links: RenderInput['links']): void => {
  if (template.kind === 'marketing') {
    const missing = (['unsubscribe', 'preferences'] as const).filter((name) => links[name] === undefined);
    if (missing.length > 0) {
      throw new TemplateRenderError(
        template.id,
        `marketing email needs ${missing.map((name) => `links.${name}`).join(' and ')}; refusing to render without them`,
      );
    }
  }
  const sources = [template.subject, template.text, template.mjml, template.preheader ?? ''].join('\n');
  for (const name of linkNames) {
    if (links[name] === undefined && new RegExp(`\\blinks\\.${name}\\b`).test(sources)) {
      throw new TemplateRenderError(template.id, `uses links.${name}, but no ${name} link was given`);
    }
  }
};

/** The names a template may start a path with; anything else renders as nothing. */
export const templateNames = Object.keys(RenderInput.shape);

/**
 * Names a template reads that its input never has (`{{ product.name }}` where it
 * means `{{ trigger.item.name }}`), per field: they render as nothing, which is
 * legal and almost always a mistake, so a draft is saved with a warning.
 */
export const unknownTemplateNames = (template: EmailTemplate): Array<{ field: Field; name: string }> =>
  (['subject', 'preheader', 'text', 'mjml'] as const).flatMap((field) => {
    const source = template[field];
    if (source === undefined) return [];
    try {
      return plain
        .globalVariablesSync(source)
        .filter((name) => !templateNames.includes(name))
        .map((name) => ({ field, name }));
    } catch {
      // Liquid that does not parse is reported by the trial render, with its reason.
      return [];
    }
  });

/**
 * Renders one message: Liquid for subject, text, preheader and the MJML body, the
 * body placed in the shared layout, and MJML compiled to HTML. Marketing mail gets
 * the unsubscribe link, the preferences link and the postal address in both the
 * HTML and the text; transactional mail gets the postal address and why it came.
 */
export const renderEmail = async (
  template: EmailTemplate,
  input: RenderInput,
  options: EmailRenderOptions = {},
): Promise<RenderedEmail> => {
  const parsedInput = RenderInput.safeParse(input);
  if (!parsedInput.success) {
    const problems = parsedInput.error.issues.map(
      (issue) => `${issue.path.join('.') || 'input'}: ${issue.message}`,
    );
    throw new TemplateRenderError(template.id, `invalid render input: ${problems.join('; ')}`);
  }
  const { contact, links, postalAddress, sender, data, recommendations, trigger, event } = parsedInput.data;
  checkLinks(template, links);

  const context: Record<string, unknown> = {
    contact,
    links,
    postalAddress,
    sender,
    data: data ?? {},
    recommendations: recommendations ?? [],
    trigger,
    event,
  };
  if (options.topicLabels !== undefined) topicLabelsOfScope.set(context, options.topicLabels);
  const deadline = performance.now() + renderTimeLimitMs;
  const [subject, text, preheader, body] = await Promise.all([
    renderField(template, 'subject', template.subject, context, deadline),
    renderField(template, 'text', template.text, context, deadline),
    template.preheader === undefined
      ? Promise.resolve('')
      : renderField(template, 'preheader', template.preheader, context, deadline),
    renderField(template, 'mjml', template.mjml, context, deadline),
  ]);
  checkComponents(template.id, body, preheader);
  // A line break in a subject header would break the message; templates written as YAML blocks often end in one.
  const oneLineSubject = subject.replace(/\s*[\r\n]+\s*/g, ' ').trim();
  const marketing = template.kind === 'marketing';
  const layoutContext = {
    ...context,
    marketing,
    subject: oneLineSubject,
    preheader: preheader.replace(/\s+/g, ' ').trim(),
    body,
  };

  const [document, footer] = await Promise.all([
    renderLayout(template.id, 'layout', escaped, emailLayout, layoutContext),
    renderLayout(template.id, 'text footer', plain, textFooter, layoutContext),
  ]);
  const html = await compileMjml(template.id, document, body);
  checkHtmlSize(template.id, html);
  return { subject: oneLineSubject, text: `${text.trimEnd()}\n${footer}`, html };
};
