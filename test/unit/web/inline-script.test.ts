import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { htmlResponse } from '../../../functions/http/http-response.js';
import { inlineScript } from '../../../lib/web/inline-script.js';

const code = "document.title = 'hi';";
const hash = `'sha256-${createHash('sha256').update(code).digest('base64')}'`;

describe('an inline script', () => {
  it('is the element and the CSP source of exactly its text', () => {
    const script = inlineScript(code);
    expect(script.element.value).toBe(`<script>${code}</script>`);
    expect(script.hash).toBe(hash);
  });

  it.each(['a = "</script><b>"', 'a = 1; <!-- b'])(
    'refuses text that would end or hide the element: %s',
    (text) => {
      expect(() => inlineScript(text)).toThrow(/must not contain/);
    },
  );
});

describe('the CSP header of a page', () => {
  const policyOf = (response: ReturnType<typeof htmlResponse>) =>
    String(response.headers?.['Content-Security-Policy'] ?? '');

  it('lets no script run when the page declares none', () => {
    const policy = policyOf(htmlResponse(200, '<p>hi</p>'));
    expect(policy).toMatch(/^default-src 'none';/);
    expect(policy).not.toContain('script-src');
  });

  it('lets the page’s own scripts run by hash, and nothing inline besides', () => {
    const policy = policyOf(htmlResponse(200, '<p>hi</p>', { scripts: [inlineScript(code)] }));
    expect(/script-src ([^;]*);/.exec(policy)?.[1]).toBe(hash);
    expect(policy).toContain("frame-ancestors 'none'");
  });
});
