import { type HttpRoute, httpFunctions } from '../../../infra/topology.js';

/** A route of the topology with the function that serves it and its key (`PUT /admin/journeys/{id}/draft`). */
export type DeclaredRoute = HttpRoute & { functionName: string; key: string };

/** Every HTTP route the topology declares, so a route added there is tested without a line here. */
export const declaredRoutes = (): DeclaredRoute[] =>
  httpFunctions().flatMap((spec) =>
    spec.trigger.routes.map((route) => ({
      ...route,
      functionName: spec.name,
      key: `${route.method} ${route.path}`,
    })),
  );

/** The names of a route's `{name}` parameters, in order. */
export const parameterNames = (route: Pick<HttpRoute, 'path'>): string[] =>
  [...route.path.matchAll(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g)].flatMap((match) =>
    match[1] === undefined ? [] : [match[1]],
  );

/** The route's path with each parameter's value put in as it is given (already encoded, or not). */
export const fillPath = (route: Pick<HttpRoute, 'path'>, values: Readonly<Record<string, string>>): string =>
  route.path.replace(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, name: string) => values[name] ?? 'x');
