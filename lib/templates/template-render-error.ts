/** A template that cannot be rendered (bad Liquid or MJML, or a compliance link missing); names the template. */
export class TemplateRenderError extends Error {
  override readonly name = 'TemplateRenderError';
  constructor(
    readonly templateId: string,
    readonly problem: string,
  ) {
    super(`template "${templateId}": ${problem}`);
  }
}
