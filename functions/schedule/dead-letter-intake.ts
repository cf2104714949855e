import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { streamFunctions } from '../../infra/topology.js';
import { takeInDeadLetters } from '../../lib/app/take-in-dead-letters.js';
import { deadLetteredMetric } from '../../lib/config/metric-names.js';
import { timing } from '../../lib/config/timing.js';
import { compileFilters } from '../../lib/domain/filter-pattern.js';
import { perEnvironment } from '../dependencies.js';
import { logger, metrics } from '../middleware/observability.js';
import { scheduleHandler } from '../middleware/schedule-chain.js';

/** Each stream function's filters, as its mapping applies them: which records of a failed range it was handed. */
const filtersByFunction = new Map(
  streamFunctions().map((spec) => [spec.name, compileFilters(spec.trigger.filters)] as const),
);

const deps = perEnvironment((d) => ({
  deadLetters: d.deadLetters,
  clock: d.clock,
  ids: d.ids,
  queues: d.deadLetterQueues(),
  stream: d.streamRanges(),
  settings: {
    queues: d.env.DEAD_LETTER_QUEUES,
    functionNames: d.env.FUNCTION_NAMES,
    receives: (functionName: string, record: unknown) =>
      filtersByFunction.get(functionName)?.(record) ?? false,
    budgetMs: timing.deadLetters.intakeBudgetMs,
  },
}));

/**
 * Moves what reached the SQS dead-letter queues into the dead letters. Locally
 * nothing does (the runtime's sink keeps its dead letters itself), so it names no
 * queue and does nothing.
 */
export const handler = scheduleHandler(async () => {
  const intakes = await takeInDeadLetters(deps());
  for (const intake of intakes) {
    if (intake.deadLetters > 0) metrics.addMetric(deadLetteredMetric, MetricUnit.Count, intake.deadLetters);
    if (intake.failed !== undefined || intake.left.length > 0)
      logger.error('a dead-letter queue keeps messages the intake could not take in', { ...intake });
    else if (intake.taken > 0) logger.info('dead-letter queue taken in', { ...intake });
  }
});
