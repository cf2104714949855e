import {
  getTemplate,
  listTemplates,
  type ManageTemplatesDeps,
  previewTemplate,
  publishTemplate,
  putTemplateDraft,
  templateVersions,
} from '../../lib/app/manage-templates.js';
import { type SendTestEmailDeps, sendTestEmail } from '../../lib/app/send-test-email.js';
import { renderEmail } from '../../lib/templates/render-email.js';
import { perEnvironment } from '../dependencies.js';
import { httpHandler } from '../middleware/http-chain.js';
import type { HttpRequest } from './http-request.js';
import { jsonResponse } from './http-response.js';
import { pathParameter, type RouteMap } from './route-map.js';

const deps = perEnvironment(
  ({ templates, contacts, clock, topicLabels, env }): ManageTemplatesDeps => ({
    templates,
    contacts,
    clock,
    render: (template, input) => renderEmail(template, input, { topicLabels }),
    settings: {
      publicBaseUrl: env.PUBLIC_BASE_URL,
      postalAddress: env.POSTAL_ADDRESS,
      sender: env.SENDER_EMAIL,
      defaultTimeZone: env.DEFAULT_TIME_ZONE,
    },
  }),
);

const testDeps = perEnvironment(
  (environment): SendTestEmailDeps => ({
    ...deps(),
    mailer: environment.mailer(),
    suppressions: environment.suppressions,
  }),
);

const ok = (value: unknown) => jsonResponse(200, value);

const idOf = (request: HttpRequest): string => pathParameter(request, 'id');

export const routes = {
  'GET /admin/templates': async () => ok(await listTemplates(deps())),
  'GET /admin/templates/{id}': async (request) => ok(await getTemplate(deps(), idOf(request))),
  'PUT /admin/templates/{id}/draft': async (request) =>
    ok(await putTemplateDraft(deps(), idOf(request), request.body)),
  'POST /admin/templates/{id}/publish': async (request) => ok(await publishTemplate(deps(), idOf(request))),
  'GET /admin/templates/{id}/versions': async (request) => ok(await templateVersions(deps(), idOf(request))),
  'POST /admin/templates/{id}/preview': async (request) =>
    ok(await previewTemplate(deps(), idOf(request), request.body)),
  'POST /admin/templates/{id}/test-send': async (request) =>
    ok(await sendTestEmail(testDeps(), idOf(request), request.body)),
} satisfies RouteMap;

/** Authentication happens before this runs: IAM in the cloud, the admin bearer token locally. */
export const handler = httpHandler(routes, { errors: 'json' });
