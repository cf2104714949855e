import { consoleSettings } from './console-settings.js';

/**
 * The console's viewer-request CloudFront Function (cloudfront-js-2.0). The console
 * lives under `/console/` (its build's base). There, a path whose last segment has
 * no dot is a route of the single-page app (`/console/journeys/welcome`) and is
 * served index.html; a file (`/console/assets/index-3f2a.js`, `/console/config.json`)
 * is served as it is, so a missing one stays a missing one. `/` and `/console` are
 * sent to `/console/`. It runs on the default behavior only: `/api/*` answers its own
 * 403s and 404s, which CloudFront's custom error responses (distribution-wide) would
 * have turned into index.html too.
 */
export const spaRoutingCode = (base: string = consoleSettings.basePath): string => `function handler(event) {
  var request = event.request;
  var uri = request.uri;
  if (uri === '/' || uri === '${base}') {
    return { statusCode: 302, statusDescription: 'Found', headers: { location: { value: '${base}/' } } };
  }
  if (uri.indexOf('${base}/') === 0 && uri.substring(uri.lastIndexOf('/') + 1).indexOf('.') === -1) {
    request.uri = '${base}/index.html';
  }
  return request;
}
`;
