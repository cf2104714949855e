import type { APIGatewayProxyResult } from 'aws-lambda';
import { type InlineScript, scriptSrcDirective } from '../../lib/web/inline-script.js';

const securityHeaders = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
};

/** `scripts`: the inline scripts the page holds (see lib/web/inline-script.ts); they alone may run. */
export const htmlResponse = (
  statusCode: number,
  html: string,
  { scripts = [] }: { scripts?: readonly InlineScript[] } = {},
): APIGatewayProxyResult => ({
  statusCode,
  headers: {
    ...securityHeaders,
    'Content-Type': 'text/html; charset=utf-8',
    // Pages are static HTML with inline styles; nothing may frame them, and no script runs but the page's own, by hash.
    'Content-Security-Policy': `default-src 'none'; ${scriptSrcDirective(scripts)}style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`,
  },
  body: html,
});

export const jsonResponse = (statusCode: number, value: unknown): APIGatewayProxyResult => ({
  statusCode,
  headers: { ...securityHeaders, 'Content-Type': 'application/json; charset=utf-8' },
  body: JSON.stringify(value),
});

export const redirectResponse = (location: string): APIGatewayProxyResult => ({
  statusCode: 303,
  headers: { ...securityHeaders, Location: location },
  body: '',
});

export const emptyResponse = (statusCode: number): APIGatewayProxyResult => ({
  statusCode,
  headers: securityHeaders,
  body: '',
});
