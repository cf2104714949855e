import type { EmailTemplate } from '../domain/email-template.js';
import { compileEmail } from './compile-email.js';
import {
  type EmailRenderOptions,
  type RenderedEmail,
  type RenderInput,
  renderCompiledEmail,
} from './render-compiled-email.js';

export type { EmailRenderOptions, RenderedEmail } from './render-compiled-email.js';
export {
  RenderInput,
  TemplateLimitExceededError,
  TemplateRenderError,
  templateNames,
  unknownTemplateNames,
} from './render-compiled-email.js';

/**
 * Renders a template that has not been published, or not as it is now (a draft, a
 * preview, a test): compiled here, then rendered as deliver renders a published
 * version. Compiling loads MJML, so the functions that send import
 * render-compiled-email.ts instead.
 */
export const renderEmail = async (
  template: EmailTemplate,
  input: RenderInput,
  options: EmailRenderOptions = {},
): Promise<RenderedEmail> => renderCompiledEmail(template, await compileEmail(template), input, options);
