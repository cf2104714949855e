import type { Contact } from '../domain/contact.js';
import type { CustomerCard } from '../domain/customer-card.js';
import type { DeliveryPolicy } from '../domain/delivery-policy.js';
import type { RecommendationWish } from '../domain/email-template.js';
import { NotFoundError, ValidationError } from '../domain/errors.js';
import { JourneyDefinition, templatesUsed } from '../domain/journey-definition.js';
import { newSince, type RecommendationInputs } from '../domain/recommendations.js';
import { fieldErrors } from '../domain/signup-form.js';
import type { SimulationInput, TimelineEntry } from '../domain/simulate.js';
import { SimulationInputError, simulate } from '../domain/simulate.js';
import type { Clock } from '../ports/clock.js';
import type { JourneyStore } from '../ports/journey-store.js';
import type { TemplateStore } from '../ports/template-store.js';
import { SimulationRequest, simulationWindow } from './simulation-input.js';

export interface SimulateJourneyDeps {
  journeys: Pick<JourneyStore, 'getDraft' | 'summary' | 'getVersion'>;
  clock: Clock;
  policy: () => Promise<DeliveryPolicy | undefined>;
  defaultTimeZone: string;
  /**
   * For templates with `skip_unless`: the templates, and the catalog data their
   * picks come from (recommendationData). Without them such a send is taken as
   * having something to show.
   */
  recommendations?: {
    templates: Pick<TemplateStore, 'get'>;
    data: (card: CustomerCard, window: { releasedAfter: Date; now: Date }) => Promise<RecommendationInputs>;
  };
}

/** What each recommending template of the journey wants, and the data to pick from for the whole window. */
const recommendationsFor = async (
  deps: SimulateJourneyDeps,
  definition: JourneyDefinition,
  contact: Contact,
  window: { from: Date; to: Date },
): Promise<SimulationInput['recommendations']> => {
  const source = deps.recommendations;
  if (source === undefined) return undefined;
  const wishes = new Map<string, RecommendationWish>();
  for (const { template } of templatesUsed(definition)) {
    const wish = (await source.templates.get(template))?.recommendations;
    if (wish !== undefined) wishes.set(template, wish);
  }
  if (wishes.size === 0) return undefined;
  const card = contact.customer;
  const data =
    card === undefined
      ? { catalog: new Map(), coPurchases: new Map(), releases: [] }
      : await source.data(card, { releasedAfter: newSince(card, window.from), now: window.to });
  return { wishes, data };
};

/** A simulation that cannot finish (too many steps, bad events) is the request's problem: a 400 naming why. */
const simulated = (input: SimulationInput) => {
  try {
    return simulate(input);
  } catch (error) {
    if (error instanceof SimulationInputError) {
      throw new ValidationError({ simulation: error.message }, 'the journey cannot be simulated as asked');
    }
    throw error;
  }
};

/**
 * `POST /admin/journeys/{id}/simulate`: the draft if there is one (what the
 * marketer is editing), else the latest version, on a virtual clock.
 */
export const simulateJourney = async (
  deps: SimulateJourneyDeps,
  journeyId: string,
  body: unknown,
): Promise<{
  journeyId: string;
  source: 'draft' | 'version';
  version?: number;
  timeline: TimelineEntry[];
}> => {
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
  const recommendations = await recommendationsFor(deps, definition, window.contact, window);
  const result = simulated({
    definition,
    ...window,
    defaultTimeZone: deps.defaultTimeZone,
    ...(policy === undefined ? {} : { policy }),
    ...(recommendations === undefined ? {} : { recommendations }),
  });
  return {
    journeyId,
    source: draft === undefined ? 'version' : 'draft',
    ...(published === undefined ? {} : { version: published.version }),
    timeline: result.timeline,
  };
};
