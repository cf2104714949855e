import type { FilterImplOptions, Liquid, Template } from 'liquidjs';
import type { CompiledEmail, CompiledTemplate } from '../domain/compiled-email.js';
import type { EmailTemplate } from '../domain/email-template.js';
import { messageOf } from '../domain/error-text.js';
import type { RenderedEmail } from '../domain/template-answers.js';
import { textFooter } from './email-layout.js';
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

/*
 * Sending a message is Liquid alone: the template's subject, text and preheader, and the
 * HTML its MJML was compiled to when it was published (compile-email.ts). Nothing here
 * loads MJML, so neither does the function that sends.
 */

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

const createEngine = (escapeHtml: boolean, parseChars: number): Liquid => {
  const engine = limitedEngine(
    { ...emailLimits.liquid, parseChars, capture: { max: emailLimits.fieldBytes.mjml, unit: 'bytes' } },
    escapeHtml,
  );
  engine.registerFilter('topic_label', topicLabelFilter);
  return engine;
};

/** Subject and text are not HTML, so escaping there would show `&amp;` to the reader. */
const plain = createEngine(false, emailLimits.liquid.parseChars);
/** The preheader and the body's MJML as authored. */
export const htmlEngine = createEngine(true, emailLimits.liquid.parseChars);
/**
 * The compiled HTML, which MJML made many times longer than its source: its length is
 * bounded by the HTML cap when it is compiled (compile-email.ts) rather than by the
 * source's, and it is parsed once per warm function.
 */
const compiledEngine = createEngine(true, emailLimits.htmlBytes);

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

/**
 * One field's Liquid, capped at the field's size. `mjml` is the body: its compiled HTML
 * when sending, its source where the source itself is rendered.
 */
const renderField = async (
  template: EmailTemplate,
  field: Field,
  source: string,
  context: Record<string, unknown>,
  deadline: number,
): Promise<string> => {
  const engine =
    field === 'subject' || field === 'text' ? plain : field === 'mjml' ? compiledEngine : htmlEngine;
  const output: OutputCap = { max: emailLimits.fieldBytes[field], unit: 'bytes' };
  try {
    const parsed = parseCached(engine, `${template.id}\u0000${field}`, source);
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
    return String(
      await engine.render(parseCached(engine, `layout\u0000${name}\u0000${templateId}`, source), context),
    );
  } catch (error) {
    throw new TemplateRenderError(templateId, `${name}: ${messageOf(error)}`);
  }
};

/** MJML can turn a small body into a large document (a button becomes a kilobyte of tables), so the result is checked too. */
export const checkHtmlSize = (templateId: string, html: string): void => {
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

/** What a message's layout is rendered with: what the template sees, and the parts rendered from it. */
export interface RenderedParts {
  subject: string;
  /** The text version with its footer. */
  text: string;
  /** The rendered body, for the layout's `{{ body | raw }}`. */
  body: string;
  layoutScope: Record<string, unknown>;
}

/**
 * Renders every field of one message with the template's Liquid: subject, text,
 * preheader and `body` (the body's compiled HTML when sending; the MJML source is the
 * same Liquid in another place, see test/support/render-then-compile.ts). Marketing
 * mail gets the unsubscribe link, the preferences link and the postal address in the
 * text; transactional mail gets the postal address and why it came.
 */
export const renderParts = async (
  template: EmailTemplate,
  body: string,
  input: RenderInput,
  options: EmailRenderOptions = {},
): Promise<RenderedParts> => {
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
  // One field after another on the one budget, so a refusal names the field that ran away:
  // rendered together, a runaway loop starves the others, and whichever looks at the clock
  // first after the budget ends would be blamed.
  const subject = await renderField(template, 'subject', template.subject, context, deadline);
  const text = await renderField(template, 'text', template.text, context, deadline);
  const preheader =
    template.preheader === undefined
      ? ''
      : await renderField(template, 'preheader', template.preheader, context, deadline);
  const renderedBody = await renderField(template, 'mjml', body, context, deadline);
  // A line break in a subject header would break the message; templates written as YAML blocks often end in one.
  const oneLineSubject = subject.replace(/\s*[\r\n]+\s*/g, ' ').trim();
  const layoutScope = {
    ...context,
    marketing: template.kind === 'marketing',
    subject: oneLineSubject,
    preheader: preheader.replace(/\s+/g, ' ').trim(),
    body: renderedBody,
  };
  const footer = await renderLayout(template.id, 'text footer', plain, textFooter, layoutScope);
  return { subject: oneLineSubject, text: `${text.trimEnd()}\n${footer}`, body: renderedBody, layoutScope };
};

/**
 * Renders one message from its template and the HTML the template was compiled to:
 * Liquid for subject, text, preheader and the compiled body, and the body placed in
 * the compiled layout, which carries the compliance footer.
 */
export const renderCompiledEmail = async (
  template: EmailTemplate,
  compiled: CompiledEmail,
  input: RenderInput,
  options: EmailRenderOptions = {},
): Promise<RenderedEmail> => {
  const parts = await renderParts(template, compiled.body, input, options);
  const html = await renderLayout(template.id, 'layout', compiledEngine, compiled.layout, parts.layoutScope);
  checkHtmlSize(template.id, html);
  return { subject: parts.subject, text: parts.text, html };
};

/** A published template, rendered with the HTML stored with it: what deliver sends. */
export const renderPublishedEmail = (
  template: CompiledTemplate,
  input: RenderInput,
  options: EmailRenderOptions = {},
): Promise<RenderedEmail> => renderCompiledEmail(template, template.compiled, input, options);
