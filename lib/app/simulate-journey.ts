import type { DeliveryPolicy } from '../domain/delivery-policy.js';
import { NotFoundError, ValidationError } from '../domain/errors.js';
import { JourneyDefinition } from '../domain/journey-definition.js';
import { fieldErrors } from '../domain/signup-form.js';
import type { SimulationInput, TimelineEntry } from '../domain/simulate.js';
import { SimulationInputError, simulate } from '../domain/simulate.js';
import type { Clock } from '../ports/clock.js';
import type { JourneyStore } from '../ports/journey-store.js';
import { SimulationRequest, simulationWindow } from './simulation-input.js';

export interface SimulateJourneyDeps {
  journeys: Pick<JourneyStore, 'getDraft' | 'summary' | 'getVersion'>;
  clock: Clock;
  policy: () => Promise<DeliveryPolicy | undefined>;
  defaultTimeZone: string;
}

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
  const result = simulated({
    definition,
    ...simulationWindow(definition, request.data, deps.clock.now()),
    defaultTimeZone: deps.defaultTimeZone,
    ...(policy === undefined ? {} : { policy }),
  });
  return {
    journeyId,
    source: draft === undefined ? 'version' : 'draft',
    ...(published === undefined ? {} : { version: published.version }),
    timeline: result.timeline,
  };
};
