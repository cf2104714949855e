import { handler as journeys } from '../../../functions/stream/journeys.js';
import { probed } from '../invocation-probe.js';

/** The journeys consumer, timed for scripts/bench/latency.ts. */
export const handler = probed('journeys', journeys);
