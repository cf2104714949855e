import type { APIGatewayProxyResult } from 'aws-lambda';
import { ForbiddenError } from '../../lib/domain/admin-role.js';
import {
  ConcurrentUpdateError,
  ConflictError,
  ExpiredTokenError,
  InvalidTokenError,
  LinkNoLongerValidError,
  NotFoundError,
  PayloadTooLargeError,
  TooManyRequestsError,
  UnauthorizedError,
  UnstorableItemError,
  ValidationError,
} from '../../lib/domain/errors.js';
import { signupErrorPage, tokenProblemPage, tryAgainLaterPage } from '../../lib/web/pages.js';
import { UnsupportedMediaTypeError } from './http-request.js';
import { htmlResponse, jsonResponse } from './http-response.js';

export interface ErrorDescription {
  status: number;
  code: string;
  message: string;
  fields?: Record<string, string>;
  /** On a 403: the least role the route needs, for a client to say so. */
  requiredRole?: string;
  /** On a 429: when to try again, sent as `Retry-After`. */
  retryAfterSeconds?: number;
}

/** The one mapping from named errors to HTTP. Anything unnamed is a 500 and is logged, never shown. */
export const httpErrorOf = (error: unknown): ErrorDescription => {
  if (error instanceof ValidationError) {
    return { status: 400, code: 'invalid_request', message: error.message, fields: error.fields };
  }
  if (error instanceof InvalidTokenError)
    return { status: 400, code: 'invalid_token', message: error.message };
  if (error instanceof UnauthorizedError)
    return { status: 401, code: 'unauthorized', message: error.message };
  if (error instanceof ForbiddenError) {
    return { status: 403, code: 'forbidden', message: error.message, requiredRole: error.requiredRole };
  }
  if (error instanceof PayloadTooLargeError)
    return { status: 413, code: 'payload_too_large', message: error.message };
  if (error instanceof ExpiredTokenError)
    return { status: 410, code: 'expired_token', message: error.message };
  if (error instanceof LinkNoLongerValidError) {
    return { status: 410, code: 'link_no_longer_valid', message: error.message };
  }
  if (error instanceof TooManyRequestsError) {
    return {
      status: 429,
      code: 'too_many_requests',
      message: error.message,
      retryAfterSeconds: error.retryAfterSeconds,
    };
  }
  if (error instanceof NotFoundError) return { status: 404, code: 'not_found', message: error.message };
  if (error instanceof ConflictError || error instanceof ConcurrentUpdateError) {
    return { status: 409, code: 'conflict', message: error.message };
  }
  if (error instanceof UnsupportedMediaTypeError) {
    return { status: 415, code: 'unsupported_media_type', message: error.message };
  }
  // What the request asked to store cannot be held by the table (a number out of its range, an
  // empty name in a map, past 400 KB): sending it again cannot help, so it is the request's to fix.
  if (error instanceof UnstorableItemError) {
    return {
      status: 400,
      code: 'invalid_request',
      message: 'the request holds something the table cannot store; nothing was stored',
      fields: { body: `cannot be stored: ${error.message}` },
    };
  }
  return {
    status: 500,
    code: 'internal_error',
    message: 'something went wrong on our side; please try again',
  };
};

const withRetryAfter = (
  description: ErrorDescription,
  response: APIGatewayProxyResult,
): APIGatewayProxyResult =>
  description.retryAfterSeconds === undefined
    ? response
    : { ...response, headers: { ...response.headers, 'Retry-After': String(description.retryAfterSeconds) } };

export const errorAsJson = (description: ErrorDescription): APIGatewayProxyResult =>
  withRetryAfter(
    description,
    jsonResponse(description.status, {
      error: {
        code: description.code,
        message: description.message,
        ...(description.fields === undefined ? {} : { fields: description.fields }),
        ...(description.requiredRole === undefined ? {} : { requiredRole: description.requiredRole }),
        ...(description.retryAfterSeconds === undefined
          ? {}
          : { retryAfterSeconds: description.retryAfterSeconds }),
      },
    }),
  );

/** For the pages people reach from links and forms: the same statuses, readable wording. */
export const errorAsPage = (description: ErrorDescription): APIGatewayProxyResult => {
  switch (description.code) {
    case 'invalid_token':
      return htmlResponse(description.status, tokenProblemPage({ problem: 'invalid' }));
    case 'expired_token':
      return htmlResponse(description.status, tokenProblemPage({ problem: 'expired' }));
    case 'link_no_longer_valid':
      return htmlResponse(description.status, tokenProblemPage({ problem: 'no-longer-valid' }));
    case 'invalid_request':
      return htmlResponse(description.status, signupErrorPage({ fields: description.fields ?? {} }));
    case 'too_many_requests':
      return withRetryAfter(
        description,
        htmlResponse(description.status, tryAgainLaterPage({ message: description.message })),
      );
    default:
      return errorAsJson(description);
  }
};
