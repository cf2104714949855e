/** A template that cannot be rendered (bad Liquid or MJML, or a compliance link missing); names the template. */
export class TemplateRenderError extends Error {
  override readonly name: string = 'TemplateRenderError';
  constructor(
    readonly templateId: string,
    readonly problem: string,
  ) {
    super(`template "${templateId}": ${problem}`);
  }
}

/**
 * A template that renders past one of the limits in render-limits.ts, in `field`. Rendering
 * it again goes past the limit again, so the draft is refused when it is saved, and at send
 * time the message fails unsent rather than being retried.
 */
export class TemplateLimitExceededError extends TemplateRenderError {
  override readonly name = 'TemplateLimitExceededError';
  constructor(
    templateId: string,
    readonly field: 'subject' | 'text' | 'preheader' | 'mjml',
    readonly limit: string,
  ) {
    super(templateId, `${field}: ${limit}`);
  }
}
