import { describe, expect, it } from 'vitest';
import type { HttpRequest } from '../../../functions/http/http-request.js';
import { maxPathParameterBytes, pathParameter } from '../../../functions/http/route-map.js';
import { ValidationError } from '../../../lib/domain/errors.js';

const requestWith = (pathParameters: Record<string, string>): HttpRequest => ({
  method: 'GET',
  resource: '/admin/journeys/{id}',
  pathParameters,
  query: {},
  headers: {},
  body: undefined,
  bodyKind: 'none',
  bodyBytes: 0,
  sourceIp: undefined,
  userAgent: undefined,
  referrer: undefined,
});

const problemOf = (request: HttpRequest): unknown => {
  try {
    pathParameter(request, 'id');
  } catch (error) {
    if (error instanceof ValidationError) return error.fields;
    throw error;
  }
  return undefined;
};

describe('when a path names an id longer than any id can be', () => {
  it('is refused naming the parameter, before it reaches a table key', () => {
    expect(problemOf(requestWith({ id: 'a'.repeat(maxPathParameterBytes + 1) }))).toEqual({
      id: `is longer than ${maxPathParameterBytes} bytes, so it names nothing`,
    });
  });

  it('counts bytes, as the table does, not characters', () => {
    expect(problemOf(requestWith({ id: 'é'.repeat(maxPathParameterBytes / 2 + 1) }))).toHaveProperty('id');
    expect(pathParameter(requestWith({ id: 'a'.repeat(maxPathParameterBytes) }), 'id')).toHaveLength(
      maxPathParameterBytes,
    );
  });
});
