import type { APIGatewayProxyResult } from 'aws-lambda';

const securityHeaders = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
};

export const htmlResponse = (statusCode: number, html: string): APIGatewayProxyResult => ({
  statusCode,
  headers: {
    ...securityHeaders,
    'Content-Type': 'text/html; charset=utf-8',
    // Pages are static HTML with inline styles; nothing may frame them or run scripts.
    'Content-Security-Policy':
      "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
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
