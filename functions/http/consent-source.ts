import type { HttpRequest } from './http-request.js';

/** Who clicked: kept on every consent change so the log shows where it came from. */
export const consentSourceOf = (request: HttpRequest) => ({
  ...(request.sourceIp === undefined ? {} : { ip: request.sourceIp }),
  ...(request.userAgent === undefined ? {} : { userAgent: request.userAgent }),
  ...(request.referrer === undefined ? {} : { referrer: request.referrer }),
});
