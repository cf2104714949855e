import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { repoRoot } from '../../../infra/local/local-stack.js';
import { repositoryDefinitions } from './http-stack.js';

/** A body a route takes, before anything is done to it. */
export type SampleBody =
  | { kind: 'json'; value: unknown }
  | { kind: 'form'; fields: Array<[string, string]> }
  | { kind: 'text'; contentType: string; text: string };

/** The bodies a route is known to take, given its path parameters (decoded). */
export type RouteSamples = (route: string, parameters: Readonly<Record<string, string>>) => SampleBody[];

const json = (value: unknown): SampleBody => ({ kind: 'json', value });

/** A definition that names its own id carries the one in the path, as the admin API wants. */
const withId = (definition: Record<string, unknown> | undefined, id: string | undefined): SampleBody[] =>
  definition === undefined ? [] : [json(id === undefined ? definition : { ...definition, id })];

const identify = {
  type: 'identify',
  userId: 'shop-42',
  messageId: 'sample-identify',
  traits: { email: 'ann@example.com', name: 'Ann', timezone: 'Europe/Berlin' },
};
const order = {
  type: 'track',
  event: 'Order Completed',
  userId: 'shop-42',
  messageId: 'sample-order',
  properties: {
    order_id: 'A-1001',
    total: 20,
    currency: 'EUR',
    products: [{ sku: 'FILTER-6M', name: 'Water filter', category: 'home/filters', price: 20, quantity: 1 }],
  },
};
const signup = {
  email: 'fuzz@example.com',
  consent: true,
  name: 'Ann',
  topics: ['newsletter'],
  timezone: 'Europe/Berlin',
  form: 'footer',
  utm_source: 'newsletter',
};
const product = { name: 'Water filter', category: 'home/filters', price: 20, replacementCycleDays: 180 };

/**
 * Bodies the routes accept, from the repository's own journeys, templates, segments,
 * campaigns and delivery policy where a route takes one of those. A route not named
 * here still gets the bodies a fuzzer makes up; naming it lets mutations start from
 * something the route would accept.
 */
export const loadRouteSamples = async (): Promise<RouteSamples> => {
  const journeys = await repositoryDefinitions('journeys');
  const templates = await repositoryDefinitions('templates');
  const segments = await repositoryDefinitions('segments');
  const campaigns = await repositoryDefinitions('campaigns');
  const policy: unknown = parse(await readFile(join(repoRoot, 'delivery-policy.yaml'), 'utf8'));
  const first = <T>(values: Map<string, T>): T | undefined => values.values().next().value;
  return (route, { id }) => {
    switch (route) {
      case 'POST /v1/signup':
        return [
          json(signup),
          { kind: 'form', fields: Object.entries({ ...signup, consent: 'yes', topics: 'newsletter' }) },
        ];
      case 'POST /v1/confirm':
        return [{ kind: 'form', fields: [['token', 'not-a-token']] }];
      case 'POST /v1/unsubscribe':
        return [{ kind: 'form', fields: [['List-Unsubscribe', 'One-Click']] }];
      case 'POST /v1/preferences':
        return [
          {
            kind: 'form',
            fields: [
              ['action', 'save'],
              ['topics', 'newsletter'],
            ],
          },
        ];
      case 'POST /v1/events':
        return [json(identify), json(order)];
      case 'POST /v1/batch':
        return [json({ batch: [identify, order] })];
      case 'PUT /admin/journeys/{id}/draft':
        return withId(journeys.get(id ?? '') ?? first(journeys), id);
      case 'POST /admin/journeys/{id}/migrate':
        return [json({ from: 1, mapping: {} })];
      case 'POST /admin/journeys/{id}/simulate':
        return [
          json({
            contact: { name: 'Ann', timeZone: 'Europe/Berlin' },
            from: '2026-11-23T10:00:00Z',
            to: '2026-12-23T10:00:00Z',
          }),
        ];
      case 'POST /admin/segments/validate':
        return withId(first(segments), undefined);
      case 'PUT /admin/segments/{id}':
        return withId(segments.get(id ?? '') ?? first(segments), id);
      case 'PUT /admin/campaigns/{id}':
      case 'POST /admin/campaigns/{id}/validate':
        return withId(campaigns.get(id ?? '') ?? first(campaigns), id);
      case 'POST /admin/campaigns/{id}/launch':
      case 'POST /admin/campaigns/{id}/pause':
      case 'POST /admin/campaigns/{id}/resume':
      case 'POST /admin/campaigns/{id}/cancel':
        return [json({ version: 1 })];
      case 'PUT /admin/templates/{id}/draft':
        return withId(templates.get(id ?? '') ?? first(templates), id);
      case 'POST /admin/templates/{id}/preview':
        return [json({ contact: { email: 'ada@example.com', name: 'Ada' } })];
      case 'POST /admin/templates/{id}/test-send':
        return [json({ to: 'tester@example.com' })];
      case 'POST /admin/api-keys':
        return [json({ name: 'shop' })];
      case 'PUT /admin/delivery-policy':
      case 'POST /admin/delivery-policy/validate':
        return [json({ policy, version: 1 })];
      case 'PUT /admin/products/{sku}':
        return [json(product)];
      case 'POST /admin/products/import':
        return [
          {
            kind: 'text',
            contentType: 'text/csv',
            text: 'sku,name,category,price,currency,replacement_cycle_days\nA-1,Filter,home/filters,9.90,EUR,90\nA-2,"Jug, large",home,19.90,,\n',
          },
          json([{ sku: 'A-3', ...product }]),
        ];
      case 'POST /admin/products/{sku}/publish':
        return [json({})];
      default:
        return [];
    }
  };
};
