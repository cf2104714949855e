import { html, SafeHtml } from './html.js';
import { type InlineScript, scriptSrcDirective } from './inline-script.js';

const styles = `
:root { color-scheme: light dark; --fg: #1f2933; --muted: #52606d; --bg: #f3f4f6; --card: #ffffff;
  --line: #d2d6dc; --accent: #2456d3; --accent-fg: #ffffff; --danger: #b42318; --ok-bg: #e7f6ec; --ok-fg: #14532d; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #e5e7eb; --muted: #9aa5b1; --bg: #111827; --card: #1f2937; --line: #374151;
    --accent: #7aa2ff; --accent-fg: #0b1220; --danger: #f97066; --ok-bg: #14351f; --ok-fg: #bbf7d0; }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg); line-height: 1.6;
  font: 17px/1.6 -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; }
main { max-width: 34rem; margin: 2rem auto; padding: 2rem 1.5rem; background: var(--card); border-radius: 10px;
  box-shadow: 0 1px 3px rgba(0, 0, 0, 0.08); }
@media (max-width: 36rem) { main { margin: 0; border-radius: 0; min-height: 100vh; } }
h1 { font-size: 1.6rem; line-height: 1.25; margin: 0 0 1rem; }
p { margin: 0 0 1rem; }
.muted { color: var(--muted); font-size: 0.95rem; }
a { color: var(--accent); }
form { margin: 1.5rem 0 1rem; }
label { display: block; font-weight: 600; margin-bottom: 0.25rem; }
.field { margin-bottom: 1.1rem; }
.hint { display: block; font-weight: 400; color: var(--muted); font-size: 0.9rem; }
input[type="email"], input[type="text"], input[type="tel"] { width: 100%; padding: 0.65rem 0.75rem; font: inherit;
  color: inherit; background: transparent; border: 1px solid var(--line); border-radius: 6px; }
fieldset { border: 1px solid var(--line); border-radius: 6px; padding: 0.75rem 1rem 0.5rem; margin: 0 0 1.1rem; }
legend { font-weight: 600; padding: 0 0.25rem; }
.check { display: flex; gap: 0.6rem; align-items: flex-start; font-weight: 400; margin-bottom: 0.5rem; }
.check input { width: 1.15rem; height: 1.15rem; margin-top: 0.25rem; flex: none; }
button, .button { display: inline-block; font: inherit; font-weight: 600; cursor: pointer; text-decoration: none;
  padding: 0.75rem 1.4rem; border-radius: 6px; border: 2px solid var(--accent); background: var(--accent);
  color: var(--accent-fg); }
button.secondary { background: transparent; color: var(--danger); border-color: var(--danger); }
.actions { display: flex; flex-wrap: wrap; gap: 0.75rem; margin-top: 1.25rem; }
:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
.status { background: var(--ok-bg); color: var(--ok-fg); padding: 0.75rem 1rem; border-radius: 6px; }
.errors { border-left: 4px solid var(--danger); padding: 0.25rem 0 0.25rem 1rem; }
.errors dt { font-weight: 600; }
.errors dd { margin: 0 0 0.5rem; }
.hp { position: absolute; left: -10000px; top: auto; width: 1px; height: 1px; overflow: hidden; }
.email-suggestion button { padding: 0.2rem 0.7rem; margin-left: 0.25rem; font-size: 0.9rem; }
`;

export interface PageOptions {
  title: string;
  body: SafeHtml;
  /** Pages reached by a personal link: keep them out of search engines. */
  noindex?: boolean;
  /** The inline scripts `body` holds; the CSP lets these run, by hash, and no other. */
  scripts?: readonly InlineScript[];
}

/**
 * A complete, self-contained document: inline CSS, no scripts but the hashed ones
 * it declares, no external resources (the CSP says so too), and no referrer, so a
 * token in the address never leaks to another site.
 */
export const page = ({ title, body, noindex = false, scripts = [] }: PageOptions): string =>
  html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; ${scriptSrcDirective(scripts)}style-src 'unsafe-inline'; img-src data:; base-uri 'none'">
<meta name="referrer" content="no-referrer">
${noindex ? html`<meta name="robots" content="noindex">\n` : ''}<title>${title}</title>
<style>${new SafeHtml(styles)}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`.value;
