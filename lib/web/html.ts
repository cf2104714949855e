/** Markup that is already safe to place in a page as is. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export type Interpolation = SafeHtml | string | number | false | null | undefined | Interpolation[];

const entities: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export const escapeHtml = (value: string): string =>
  value.replace(/[&<>"']/g, (char) => entities[char] ?? char);

const interpolate = (value: Interpolation): string => {
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(interpolate).join('');
  if (value === null || value === undefined || value === false) return '';
  return escapeHtml(String(value));
};

/**
 * Tagged template for pages: every interpolated value is HTML-escaped unless it is
 * itself `html`…`` output, so forgetting to escape is not possible.
 */
export const html = (strings: TemplateStringsArray, ...values: Interpolation[]): SafeHtml =>
  new SafeHtml(strings.reduce((out, part, index) => out + interpolate(values[index - 1]) + part));

/**
 * A URL safe to put in an href: http(s) or a path on this site. Anything else
 * (`javascript:`, `data:`) becomes the fallback.
 */
export const safeHref = (url: string | undefined, fallback: string): string => {
  if (url === undefined) return fallback;
  if (/^\/(?!\/)/.test(url)) return url;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : fallback;
  } catch {
    return fallback;
  }
};
