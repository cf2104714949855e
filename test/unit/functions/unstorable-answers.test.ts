import { describe, expect, it } from 'vitest';
import { errorAsJson, httpErrorOf } from '../../../functions/http/error-responses.js';
import { putSegment } from '../../../lib/app/manage-segments.js';
import { UnstorableItemError } from '../../../lib/domain/errors.js';
import { aWorld } from '../app/support/worlds.js';

describe('when a request asks to store what the table cannot hold', () => {
  it('is a 400 saying so, never a 500', () => {
    const response = errorAsJson(httpErrorOf(new UnstorableItemError('Empty attribute name')));

    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body)).toEqual({
      error: {
        code: 'invalid_request',
        message: 'the request holds something the table cannot store; nothing was stored',
        fields: { body: 'cannot be stored: Empty attribute name' },
      },
    });
  });

  it.each([
    ['a number past what the table keeps', { 'contact.customer.orders': { $gt: -5e264 } }],
    ['an empty name inside it', { 'contact.name': 'Ann', constructor: [{ '': 0 }] }],
  ])('refuses a segment whose condition holds %s, and stores nothing', async (_name, condition) => {
    const world = aWorld('2026-12-01T12:00:00.000Z');
    const deps = {
      segments: world.segments,
      contacts: world.contacts,
      jobs: world.jobs,
      ids: world.ids,
      clock: world.clock,
    };

    await expect(putSegment(deps, 'odd', { name: 'Odd', condition })).rejects.toBeInstanceOf(
      UnstorableItemError,
    );
    expect(await world.segments.list()).toEqual([]);
  });
});
