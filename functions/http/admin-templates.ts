import {
  getTemplate,
  listTemplates,
  type ManageTemplatesDeps,
  previewTemplate,
  publishTemplate,
  putTemplateDraft,
  templateVersions,
} from '../../lib/app/manage-templates.js';
import { renderEmail } from '../../lib/templates/render-email.js';
import { topicLabelsOf } from '../../lib/templates/topic-label.js';
import { clock, env, templates } from '../composition-root.js';
import { httpHandler } from '../middleware/http-chain.js';
import { type AdminRoute, adminRouter, idOf } from './admin-router.js';
import { jsonResponse } from './http-response.js';

const topicLabels = topicLabelsOf(env.TOPICS);

const deps: ManageTemplatesDeps = {
  templates,
  clock,
  render: (template, input) => renderEmail(template, input, { topicLabels }),
  settings: {
    publicBaseUrl: env.PUBLIC_BASE_URL,
    postalAddress: env.POSTAL_ADDRESS,
    sender: env.SENDER_EMAIL,
  },
};

const ok = (value: unknown) => jsonResponse(200, value);

export const templateRoutes: readonly AdminRoute[] = [
  { method: 'GET', path: '/admin/templates', handle: async () => ok(await listTemplates(deps)) },
  {
    method: 'GET',
    path: '/admin/templates/{id}',
    handle: async (_request, parameters) => ok(await getTemplate(deps, idOf(parameters))),
  },
  {
    method: 'PUT',
    path: '/admin/templates/{id}/draft',
    handle: async (request, parameters) => ok(await putTemplateDraft(deps, idOf(parameters), request.body)),
  },
  {
    method: 'POST',
    path: '/admin/templates/{id}/publish',
    handle: async (_request, parameters) => ok(await publishTemplate(deps, idOf(parameters))),
  },
  {
    method: 'GET',
    path: '/admin/templates/{id}/versions',
    handle: async (_request, parameters) => ok(await templateVersions(deps, idOf(parameters))),
  },
  {
    method: 'POST',
    path: '/admin/templates/{id}/preview',
    handle: async (request, parameters) => ok(await previewTemplate(deps, idOf(parameters), request.body)),
  },
];

/** Authentication happens before this runs: IAM in the cloud, the admin bearer token locally. */
export const handler = httpHandler(adminRouter(templateRoutes), { errors: 'json' });
