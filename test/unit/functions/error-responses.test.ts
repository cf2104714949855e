import { describe, expect, it } from 'vitest';
import { errorAsJson, errorAsPage, httpErrorOf } from '../../../functions/http/error-responses.js';
import { TooManyRequestsError } from '../../../lib/domain/errors.js';

describe('when a caller is over a rate limit', () => {
  const description = httpErrorOf(
    new TooManyRequestsError('too many signups from this network; please try again in 4 minutes', 230),
  );

  it('answers 429 with Retry-After and the wait in the JSON body', () => {
    const response = errorAsJson(description);

    expect(response.statusCode).toBe(429);
    expect(response.headers?.['Retry-After']).toBe('230');
    expect(JSON.parse(response.body)).toEqual({
      error: {
        code: 'too_many_requests',
        message: 'too many signups from this network; please try again in 4 minutes',
        retryAfterSeconds: 230,
      },
    });
  });

  it('shows a browser the same wait on a page, with the same header', () => {
    const response = errorAsPage(description);

    expect(response.statusCode).toBe(429);
    expect(response.headers?.['Retry-After']).toBe('230');
    expect(response.headers?.['Content-Type']).toContain('text/html');
    expect(response.body).toContain('please try again in 4 minutes');
    expect(response.body).toContain('Please try again later');
    expect(response.body).not.toContain('Please check the form');
  });
});
