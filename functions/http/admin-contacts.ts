import { eraseContact } from '../../lib/app/erase-contact.js';
import { exportContact } from '../../lib/app/export-contact.js';
import { lookUpContactByEmail, lookUpContactById } from '../../lib/app/look-up-contact.js';
import { clock, contacts, enrollments, personalData, suppressions } from '../composition-root.js';
import { httpHandler } from '../middleware/http-chain.js';
import { logger } from '../middleware/observability.js';
import { type AdminRoute, adminRouter, idOf } from './admin-router.js';
import { firstValue } from './http-request.js';
import { jsonResponse } from './http-response.js';

const lookUp = { contacts, enrollments, suppressions };
const personal = { contacts, personalData, suppressions, clock };

const ok = (value: unknown) => jsonResponse(200, value);

export const contactRoutes: readonly AdminRoute[] = [
  {
    method: 'GET',
    path: '/admin/contacts',
    handle: async (request) => ok(await lookUpContactByEmail(lookUp, firstValue(request.query, 'email'))),
  },
  {
    method: 'GET',
    path: '/admin/contacts/{id}',
    handle: async (_request, parameters) => ok(await lookUpContactById(lookUp, idOf(parameters))),
  },
  {
    method: 'GET',
    path: '/admin/contacts/{id}/export',
    handle: async (_request, parameters) => ok(await exportContact(personal, idOf(parameters))),
  },
  {
    method: 'DELETE',
    path: '/admin/contacts/{id}',
    handle: async (_request, parameters) => {
      const erasure = await eraseContact(personal, idOf(parameters));
      // The id and the counts only: the log must not become the copy the erasure missed.
      logger.info('contact erased', {
        contactId: erasure.contactId,
        status: erasure.status,
        removed: erasure.removed,
      });
      return ok(erasure);
    },
  },
];

/** Authentication happens before this runs: IAM in the cloud, the admin bearer token locally. */
export const handler = httpHandler(adminRouter(contactRoutes), { errors: 'json' });
