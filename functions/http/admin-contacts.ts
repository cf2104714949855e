import { allowConfirmations } from '../../lib/app/allow-confirmations.js';
import { eraseContact } from '../../lib/app/erase-contact.js';
import { exportContact } from '../../lib/app/export-contact.js';
import { listContacts } from '../../lib/app/list-contacts.js';
import { lookUpContactByEmail, lookUpContactById } from '../../lib/app/look-up-contact.js';
import { perEnvironment } from '../dependencies.js';
import { httpHandler } from '../middleware/http-chain.js';
import { logger } from '../middleware/observability.js';
import { firstValue } from './http-request.js';
import { jsonResponse } from './http-response.js';
import { pathParameter, type RouteMap } from './route-map.js';

const lookUp = perEnvironment(({ contacts, enrollments, suppressions, clock }) => ({
  contacts,
  enrollments,
  suppressions,
  clock,
}));
const listing = perEnvironment(({ contacts, segments, clock }) => ({ contacts, segments, clock }));
const personal = perEnvironment(({ contacts, personalData, suppressions, clock }) => ({
  contacts,
  personalData,
  suppressions,
  clock,
}));

const confirmations = perEnvironment(({ contacts, clock }) => ({ contacts, clock }));

const ok = (value: unknown) => jsonResponse(200, value);

/** Without `email`, the list: these parameters page and filter it. */
const listParameters = ['limit', 'after', 'segment', 'q', 'topic', 'consent', 'tier'] as const;

export const routes = {
  'GET /admin/contacts': async (request) => {
    const email = firstValue(request.query, 'email');
    if (email !== undefined) return ok(await lookUpContactByEmail(lookUp(), email));
    return ok(
      await listContacts(
        listing(),
        Object.fromEntries(listParameters.map((name) => [name, firstValue(request.query, name)])),
      ),
    );
  },
  'GET /admin/contacts/{id}': async (request) =>
    ok(await lookUpContactById(lookUp(), pathParameter(request, 'id'))),
  'GET /admin/contacts/{id}/export': async (request) =>
    ok(await exportContact(personal(), pathParameter(request, 'id'))),
  'POST /admin/contacts/{id}/confirmations': async (request) =>
    ok(await allowConfirmations(confirmations(), pathParameter(request, 'id'))),
  'DELETE /admin/contacts/{id}': async (request) => {
    const erasure = await eraseContact(personal(), pathParameter(request, 'id'));
    // The id and the counts only: the log must not become the copy the erasure missed.
    logger.info('contact erased', {
      contactId: erasure.contactId,
      status: erasure.status,
      removed: erasure.removed,
    });
    return ok(erasure);
  },
} satisfies RouteMap;

/** Authentication happens before this runs: IAM in the cloud, the admin bearer token locally. */
export const handler = httpHandler(routes, { errors: 'json' });
