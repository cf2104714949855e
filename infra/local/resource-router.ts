import FindMyWay from 'find-my-way';
import { resourcePathPattern } from '../topology.js';

/**
 * Matches request paths to resource templates the way API Gateway (REST) does:
 * the resource first, by the path alone, with a literal segment taking precedence
 * over a `{parameter}` (`/admin/products/import` before `/admin/products/{sku}`),
 * and only then the method. A path whose resource lacks the method is a 405, even
 * when another resource's parameter would have taken it.
 */

export class InvalidResourcePathError extends Error {
  override readonly name = 'InvalidResourcePathError';
}

export class DuplicateRouteError extends Error {
  override readonly name = 'DuplicateRouteError';
}

export interface RouterEntry<T> {
  method: string;
  /** A resource template as in the topology, e.g. `/admin/journeys/{id}/draft`. */
  path: string;
  target: T;
}

export type RouteMatch<T> =
  | { kind: 'matched'; target: T; resource: string; pathParameters: Record<string, string> }
  | { kind: 'method-not-allowed'; allow: readonly string[] }
  | { kind: 'not-found' };

/** The topology's `{name}` in find-my-way's syntax, `:name`. */
const findMyWayPath = (template: string): string => template.replace(/\{(\w+)\}/g, ':$1');

/**
 * HEAD is answered by the GET route, as API Gateway answers it by the HEAD method the
 * cloud adds beside every GET: the handler sees `httpMethod: 'HEAD'` and answers as
 * for GET, and the gateway drops the body on the way out.
 */
const routeMethodFor = (method: string): string => (method === 'HEAD' ? 'GET' : method);

const methodsAnswered = (routeMethod: string): string[] =>
  routeMethod === 'GET' ? ['GET', 'HEAD'] : [routeMethod];

/** The one method every resource is filed under: the tree is of paths, methods are looked up after. */
const pathTree = 'GET';

export const resourceRouter = <T>(entries: readonly RouterEntry<T>[]) => {
  const tree = FindMyWay({
    // As the local gateway always has: an empty segment (`//`, a trailing `/`) is no segment.
    ignoreTrailingSlash: true,
    ignoreDuplicateSlashes: true,
    // No length limit of the router's own: a handler refuses an over-long id with a 400 naming it.
    maxParamLength: 16_384,
  });
  const resources = new Map<string, Map<string, T>>();
  for (const entry of entries) {
    if (!resourcePathPattern.test(entry.path))
      throw new InvalidResourcePathError(
        `"${entry.path}" is not a resource path: "/" or segments that are literal or a whole {name}`,
      );
    let methods = resources.get(entry.path);
    if (methods === undefined) {
      methods = new Map();
      resources.set(entry.path, methods);
      tree.on(pathTree, findMyWayPath(entry.path), () => undefined, entry.path);
    }
    if (methods.has(entry.method))
      throw new DuplicateRouteError(`${entry.method} ${entry.path} is routed twice`);
    methods.set(entry.method, entry.target);
  }

  return {
    match: (method: string, pathname: string): RouteMatch<T> => {
      const found = tree.find(pathTree, pathname);
      const template: unknown = found?.store;
      const methods = typeof template === 'string' ? resources.get(template) : undefined;
      if (found === null || typeof template !== 'string' || methods === undefined)
        return { kind: 'not-found' };
      const target = methods.get(routeMethodFor(method));
      if (target === undefined)
        return { kind: 'method-not-allowed', allow: [...methods.keys()].flatMap(methodsAnswered) };
      const pathParameters: Record<string, string> = {};
      for (const [name, value] of Object.entries(found.params))
        if (value !== undefined) pathParameters[name] = value;
      return { kind: 'matched', target, resource: template, pathParameters };
    },
  };
};
