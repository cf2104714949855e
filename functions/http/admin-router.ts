import type { APIGatewayProxyResult } from 'aws-lambda';
import { NotFoundError } from '../../lib/domain/errors.js';
import type { HttpRequest } from './http-request.js';

export interface AdminRoute {
  method: string;
  /** A resource path as in the topology, e.g. `/admin/journeys/{id}/publish`. */
  path: string;
  handle: (request: HttpRequest, parameters: Record<string, string>) => Promise<APIGatewayProxyResult>;
}

const segmentsOf = (path: string): string[] => path.split('/').filter((segment) => segment !== '');

const decode = (part: string): string | undefined => {
  try {
    return decodeURIComponent(part);
  } catch {
    return undefined;
  }
};

/**
 * Matches the end of the request path against the route, so a base path in front
 * (a custom domain's mapping) does not matter; the fixed segments keep routes apart.
 */
const match = (route: AdminRoute, path: string): Record<string, string> | undefined => {
  const template = segmentsOf(route.path);
  const parts = segmentsOf(path).slice(-template.length);
  if (parts.length !== template.length) return undefined;
  const parameters: Record<string, string> = {};
  for (const [index, segment] of template.entries()) {
    const part = decode(parts[index] ?? '');
    if (part === undefined) return undefined;
    const name = /^\{(\w+)\}$/.exec(segment)?.[1];
    if (name !== undefined) parameters[name] = part;
    else if (segment !== part) return undefined;
  }
  return parameters;
};

/** Longest first, so `/admin/journeys/{id}` cannot swallow `/admin/journeys/{id}/versions`. */
const bySpecificity = (routes: readonly AdminRoute[]): AdminRoute[] =>
  [...routes].sort((a, b) => segmentsOf(b.path).length - segmentsOf(a.path).length);

/**
 * Admin functions serve several routes each; the first route whose method and
 * path match handles the request. Errors go to the chain's one mapping.
 */
export const adminRouter = (routes: readonly AdminRoute[]) => {
  const ordered = bySpecificity(routes);
  return async (request: HttpRequest): Promise<APIGatewayProxyResult> => {
    for (const route of ordered) {
      if (route.method !== request.method) continue;
      const parameters = match(route, request.path);
      if (parameters === undefined) continue;
      return route.handle(request, parameters);
    }
    throw new NotFoundError(`no route for ${request.method} ${request.path}`);
  };
};

/** The `{id}` of a matched route; the router only calls a route when it matched, so it is always there. */
export const idOf = (parameters: Record<string, string>): string => parameters.id ?? '';
