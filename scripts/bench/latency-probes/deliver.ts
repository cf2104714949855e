import { handler as deliver } from '../../../functions/stream/deliver.js';
import { probed } from '../invocation-probe.js';

/** The deliver consumer, timed for scripts/bench/latency.ts. */
export const handler = probed('deliver', deliver);
