import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import type { ConsoleConfig } from '../../lib/domain/console-config.js';

/** Where the console is served: its assets' URLs start here (console/vite.config.ts `base`). */
export const consolePath = '/console';

export interface ConsoleReply {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

/**
 * The headers the cloud's CloudFront response policy sets too: only this
 * origin's scripts and API, never framed, no referrer leaving.
 *
 * Styles may also be inline, and only for this reason: the template editor
 * shows a rendered email in a sandboxed srcdoc frame, which inherits this
 * policy, and an email's styles are all inline (`<style>` and `style=""`).
 * Scripts stay 'self' only, and the frame's empty sandbox runs none at all.
 */
export const consoleSecurityHeaders: Record<string, string> = {
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
};

const reply = (status: number, contentType: string, body: Buffer, cache = 'no-cache'): ConsoleReply => ({
  status,
  headers: { ...consoleSecurityHeaders, 'Content-Type': contentType, 'Cache-Control': cache },
  body,
});

const isFile = async (path: string): Promise<boolean> =>
  (await stat(path).catch(() => undefined))?.isFile() === true;

/**
 * Answers a GET under /console from the built files in `root`: the file when
 * there is one (hashed assets cached for good), `config.json` from the
 * runtime, and index.html for any other path, so the console's own routes
 * (/console/campaigns/winter-offer) load the app. A path that climbs out of
 * `root` is refused.
 */
export const serveConsole = async (
  root: string,
  pathname: string,
  config: ConsoleConfig,
): Promise<ConsoleReply> => {
  const index = join(root, 'index.html');
  if (!(await isFile(index)))
    return reply(
      503,
      'text/plain; charset=utf-8',
      Buffer.from('The console is not built: run `npm run console:build` (npm start builds it).\n'),
    );
  const relative = decodeURIComponent(pathname.slice(consolePath.length)).replace(/^\/+/, '');
  if (relative === 'config.json')
    return reply(200, contentTypes['.json'] ?? '', Buffer.from(JSON.stringify(config)));
  const path = normalize(join(root, relative));
  if (path !== root && !path.startsWith(`${normalize(root)}${sep}`))
    return reply(404, 'text/plain; charset=utf-8', Buffer.from('Not found\n'));
  if (relative !== '' && (await isFile(path))) {
    const type = contentTypes[extname(path)] ?? 'application/octet-stream';
    const immutable = relative.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';
    return reply(200, type, await readFile(path), immutable);
  }
  // A missing asset is a 404; any other path is one of the console's own pages.
  if (extname(relative) !== '') return reply(404, 'text/plain; charset=utf-8', Buffer.from('Not found\n'));
  return reply(200, contentTypes['.html'] ?? '', await readFile(index));
};
