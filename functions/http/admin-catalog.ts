import {
  deleteProduct,
  getProduct,
  type ImportInput,
  importProducts,
  listProducts,
  type ManageCatalogDeps,
  productJobs,
  publishProduct,
  putProduct,
} from '../../lib/app/manage-catalog.js';
import { ValidationError } from '../../lib/domain/errors.js';
import { catalog, clock, ids, journeyJobs } from '../composition-root.js';
import { httpHandler } from '../middleware/http-chain.js';
import type { AdminRoute } from './admin-router.js';
import { adminRouter } from './admin-router.js';
import type { HttpRequest } from './http-request.js';
import { jsonResponse } from './http-response.js';

const deps: ManageCatalogDeps = { catalog, jobs: journeyJobs, ids, clock };

const ok = (value: unknown) => jsonResponse(200, value);

const skuOf = (parameters: Record<string, string>): string => parameters.sku ?? '';

/** A CSV file as `text/csv`, or a JSON array of products. */
const importInput = (request: HttpRequest): ImportInput => {
  if (request.bodyKind === 'text' && typeof request.body === 'string') {
    return { format: 'csv', text: request.body };
  }
  if (request.bodyKind === 'json') return { format: 'json', body: request.body };
  throw new ValidationError({ body: 'send a CSV file as text/csv, or a JSON array of products' });
};

export const catalogRoutes: readonly AdminRoute[] = [
  {
    method: 'GET',
    path: '/admin/products',
    handle: async (request) => ok(await listProducts(deps, request.query)),
  },
  {
    method: 'GET',
    path: '/admin/products/{sku}',
    handle: async (_request, parameters) => ok(await getProduct(deps, skuOf(parameters))),
  },
  {
    method: 'PUT',
    path: '/admin/products/{sku}',
    handle: async (request, parameters) => {
      const result = await putProduct(deps, skuOf(parameters), request.body);
      return jsonResponse(result.created ? 201 : 200, result);
    },
  },
  {
    method: 'DELETE',
    path: '/admin/products/{sku}',
    handle: async (_request, parameters) => ok(await deleteProduct(deps, skuOf(parameters))),
  },
  {
    method: 'POST',
    path: '/admin/products/import',
    handle: async (request) => ok(await importProducts(deps, importInput(request))),
  },
  {
    method: 'POST',
    path: '/admin/products/{sku}/publish',
    handle: async (request, parameters) =>
      jsonResponse(202, await publishProduct(deps, skuOf(parameters), request.body)),
  },
  {
    method: 'GET',
    path: '/admin/products/{sku}/jobs',
    handle: async (_request, parameters) => ok(await productJobs(deps, skuOf(parameters))),
  },
];

/** Authentication happens before this runs: IAM in the cloud, the admin bearer token locally. */
export const handler = httpHandler(adminRouter(catalogRoutes), { errors: 'json', textTypes: ['text/csv'] });
