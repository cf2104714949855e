import mjml2html from 'mjml';
import type { EmailTemplate } from '../../lib/domain/email-template.js';
import { mjmlOptions } from '../../lib/templates/compile-email.js';
import { emailLayout } from '../../lib/templates/email-layout.js';
import {
  type EmailRenderOptions,
  htmlEngine,
  type RenderedEmail,
  type RenderInput,
  renderParts,
} from '../../lib/templates/render-compiled-email.js';

/**
 * How a message was rendered before templates were compiled when published: the body's
 * Liquid first, the layout's Liquid around the rendered body, and MJML over the result,
 * once per message. The compiled HTML must render to exactly this.
 */
export const renderThenCompile = async (
  template: EmailTemplate,
  input: RenderInput,
  options: EmailRenderOptions = {},
): Promise<RenderedEmail> => {
  const parts = await renderParts(template, template.mjml, input, options);
  const document = String(await htmlEngine.parseAndRender(emailLayout, parts.layoutScope));
  const { html, errors } = await mjml2html(document, mjmlOptions);
  if (errors.length > 0) throw new Error(`mjml: ${errors.map((error) => error.message).join('; ')}`);
  return { subject: parts.subject, text: parts.text, html };
};
