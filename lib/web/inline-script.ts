import { createHash } from 'node:crypto';
import { SafeHtml } from './html.js';

/**
 * A script written into a page and allowed by the Content-Security-Policy through
 * its hash, not 'unsafe-inline': a script anyone managed to inject would not run.
 */
export interface InlineScript {
  /** The `<script>` element; its text is exactly what was hashed. */
  element: SafeHtml;
  /** The CSP source that allows it, `'sha256-…'`. */
  hash: string;
}

export const inlineScript = (code: string): InlineScript => {
  // Either would end or hide the element early, and the browser would hash other text.
  if (/<\/script|<!--/i.test(code)) throw new Error('an inline script must not contain "</script" or "<!--"');
  return {
    element: new SafeHtml(`<script>${code}</script>`),
    hash: `'sha256-${createHash('sha256').update(code, 'utf8').digest('base64')}'`,
  };
};

/** The CSP directive that lets exactly these scripts run (`script-src …; `), or nothing when there are none. */
export const scriptSrcDirective = (scripts: readonly InlineScript[]): string =>
  scripts.length === 0 ? '' : `script-src ${scripts.map((script) => script.hash).join(' ')}; `;
