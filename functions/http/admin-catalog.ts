import { type ListCategoriesDeps, listCategories } from '../../lib/app/list-categories.js';
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
import { perEnvironment } from '../dependencies.js';
import { httpHandler } from '../middleware/http-chain.js';
import type { HttpRequest } from './http-request.js';
import { jsonResponse } from './http-response.js';
import { pathParameter, type RouteMap } from './route-map.js';

const deps = perEnvironment(
  ({ catalog, journeyJobs, ids, clock }): ManageCatalogDeps => ({ catalog, jobs: journeyJobs, ids, clock }),
);
const categoryDeps = perEnvironment(
  ({ catalog, customerValue }): ListCategoriesDeps => ({ catalog, customerValue }),
);

const ok = (value: unknown) => jsonResponse(200, value);

const skuOf = (request: HttpRequest): string => pathParameter(request, 'sku');

/** A CSV file as `text/csv`, or a JSON array of products. */
const importInput = (request: HttpRequest): ImportInput => {
  if (request.bodyKind === 'text' && typeof request.body === 'string') {
    return { format: 'csv', text: request.body };
  }
  if (request.bodyKind === 'json') return { format: 'json', body: request.body };
  throw new ValidationError({ body: 'send a CSV file as text/csv, or a JSON array of products' });
};

export const routes = {
  'GET /admin/products': async (request) => ok(await listProducts(deps(), request.query)),
  'GET /admin/products/{sku}': async (request) => ok(await getProduct(deps(), skuOf(request))),
  'PUT /admin/products/{sku}': async (request) => {
    const result = await putProduct(deps(), skuOf(request), request.body);
    return jsonResponse(result.created ? 201 : 200, result);
  },
  'DELETE /admin/products/{sku}': async (request) => ok(await deleteProduct(deps(), skuOf(request))),
  'POST /admin/products/import': async (request) => ok(await importProducts(deps(), importInput(request))),
  'POST /admin/products/{sku}/publish': async (request) =>
    jsonResponse(202, await publishProduct(deps(), skuOf(request), request.body)),
  'GET /admin/products/{sku}/jobs': async (request) => ok(await productJobs(deps(), skuOf(request))),
  'GET /admin/categories': async () => ok(await listCategories(categoryDeps())),
} satisfies RouteMap;

/** Authentication happens before this runs: IAM in the cloud, the admin bearer token locally. */
export const handler = httpHandler(routes, { errors: 'json', textTypes: ['text/csv'] });
