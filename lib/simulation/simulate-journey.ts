import type { DeliveryPolicy } from '../domain/delivery-policy.js';
import type { SunsetAfter } from '../domain/engagement.js';
import { NotFoundError, ValidationError } from '../domain/errors.js';
import { JourneyDefinition } from '../domain/journey-definition.js';
import { fieldErrors } from '../domain/signup-form.js';
import { type JourneySimulation, SimulationInputError } from '../domain/simulate.js';
import type { CatalogStore } from '../ports/catalog-store.js';
import type { Clock } from '../ports/clock.js';
import type { CoPurchaseStore } from '../ports/co-purchase-store.js';
import type { JourneyStore } from '../ports/journey-store.js';
import type { TemplateStore } from '../ports/template-store.js';
import { type SimulationInput, type SimulationSources, simulate } from './simulate.js';
import { SimulationRequest, simulationWindow } from './simulation-input.js';

export interface SimulateJourneyDeps {
  journeys: Pick<JourneyStore, 'getDraft' | 'summary' | 'getVersion'>;
  /** The deployment's published templates, which the simulated sends render. */
  templates: Pick<TemplateStore, 'get'>;
  clock: Clock;
  policy: () => Promise<DeliveryPolicy | undefined>;
  defaultTimeZone: string;
  defaultCurrency: string;
  /** The deployment's catalog, read only, for templates that recommend; without it the catalog is empty. */
  catalog?: Pick<CatalogStore, 'releasedSince' | 'getMany'>;
  coPurchases?: Pick<CoPurchaseStore, 'forSkus'>;
  sender?: string;
  postalAddress?: string;
  /** The deployment's sunset policy, so a simulated contact who never engages is skipped as they would be. */
  sunsetAfter?: SunsetAfter;
}

/** A simulation that cannot finish (too many steps, bad events) is the request's problem: a 400 naming why. */
export const simulated = async (input: SimulationInput, sources: SimulationSources) => {
  try {
    return await simulate(input, sources);
  } catch (error) {
    if (error instanceof SimulationInputError) {
      throw new ValidationError({ simulation: error.message }, 'the journey cannot be simulated as asked');
    }
    throw error;
  }
};

/**
 * `POST /admin/journeys/{id}/simulate`: the draft if there is one (what the
 * marketer is editing), else the latest version, on a virtual clock, with the
 * deployment's published templates, delivery policy and catalog.
 */
export const simulateJourney = async (
  deps: SimulateJourneyDeps,
  journeyId: string,
  body: unknown,
): Promise<JourneySimulation> => {
  const request = SimulationRequest.safeParse(body ?? {});
  if (!request.success) throw new ValidationError(fieldErrors(request.error));
  const draft = await deps.journeys.getDraft(journeyId);
  const summary = draft === undefined ? await deps.journeys.summary(journeyId) : undefined;
  const published =
    summary === undefined || summary.latestVersion === 0
      ? undefined
      : await deps.journeys.getVersion(journeyId, summary.latestVersion);
  const parsedDraft = draft === undefined ? undefined : JourneyDefinition.safeParse(draft.definition);
  if (parsedDraft?.success === false)
    throw new ValidationError(fieldErrors(parsedDraft.error), 'the draft is invalid');
  const definition = parsedDraft?.data ?? published?.definition;
  if (definition === undefined) throw new NotFoundError(`no journey "${journeyId}"`);
  const policy = await deps.policy();
  const window = simulationWindow(definition, request.data, deps.clock.now());
  const result = await simulated(
    { definition, ...window },
    {
      template: (templateId) => deps.templates.get(templateId),
      defaultTimeZone: deps.defaultTimeZone,
      defaultCurrency: deps.defaultCurrency,
      ...(policy === undefined ? {} : { policy }),
      ...(deps.catalog === undefined ? {} : { catalog: deps.catalog }),
      ...(deps.coPurchases === undefined ? {} : { coPurchases: deps.coPurchases }),
      ...(deps.sender === undefined ? {} : { sender: deps.sender }),
      ...(deps.postalAddress === undefined ? {} : { postalAddress: deps.postalAddress }),
      ...(deps.sunsetAfter === undefined ? {} : { sunsetAfter: deps.sunsetAfter }),
    },
  );
  return {
    journeyId,
    source: draft === undefined ? 'version' : 'draft',
    ...(published === undefined ? {} : { version: published.version }),
    timeline: result.timeline,
  };
};
