import { performance } from 'node:perf_hooks';
import { compressSummaries } from '../../lib/domain/repeat-summary.js';
import { fittedCustomerValue, fitValueModels } from '../../lib/domain/value-model.js';
import { simulatedBase } from '../models/simulated-base.js';
import { type BenchOptions, type BenchResult, finish, isCommandLine, runAlone, sizeOf } from './bench-run.js';
import { machineRows, recordMachine } from './machine-facts.js';

/**
 * The value models' fit as the daily refresh runs it: BG/NBD and Gamma-Gamma
 * by maximum likelihood on the base's summaries (in days, as the customer cards
 * keep them), for bases of 100,000 and 1,000,000 customers drawn from the
 * CDNOW estimates, and what scoring one customer (pAlive, expected purchases,
 * a three-year discounted CLV) costs. Pure computation on one core: reading the
 * cards from DynamoDB is the refresh's other cost, measured by the ingestion and
 * campaign benchmarks' page reads.
 *
 * BENCH_SEED (1); tiny: 5,000 customers.
 */

const cdnowInDays = {
  bgnbd: { r: 0.243, alpha: 4.414 * 7, a: 0.793, b: 2.426 },
  gammaGamma: { p: 6.25, q: 3.74, gamma: 15.44 },
};
const scoredSample = 10_000;

interface SizeFigures {
  customers: number;
  distinct: number;
  fitSeconds: number;
  heapMb: number;
  converged: boolean;
  parameters: string;
  scoreMicros: number;
}

const measure = (customers: number, seed: number): SizeFigures => {
  const base = simulatedBase({
    customers,
    calibration: 730,
    joinSpan: 730,
    holdout: 0,
    ...cdnowInDays,
    seed,
    wholeUnits: true,
  });
  const heapBefore = process.memoryUsage().heapUsed;
  const started = performance.now();
  const summaries = compressSummaries(base.summaries);
  const outcome = fitValueModels(summaries, { unit: 'day', now: new Date() });
  const fitSeconds = (performance.now() - started) / 1000;
  const heapMb = Math.max(0, process.memoryUsage().heapUsed - heapBefore) / 1_048_576;
  if (outcome.status !== 'fitted') throw new Error(`the fit did not succeed: ${JSON.stringify(outcome)}`);
  const { fit } = outcome;
  const sample = base.summaries.slice(0, scoredSample);
  const scoringStarted = performance.now();
  for (const summary of sample)
    fittedCustomerValue(fit, summary, { horizonDays: 3 * 365, annualDiscountRate: 0.1 });
  const scoreMicros = ((performance.now() - scoringStarted) * 1000) / sample.length;
  const { r, alpha, a, b } = fit.bgnbd.parameters;
  const { p, q, gamma } = fit.gammaGamma.parameters;
  return {
    customers,
    distinct: summaries.length,
    fitSeconds,
    heapMb,
    converged: fit.bgnbd.converged && fit.gammaGamma.converged,
    parameters: `r ${r.toFixed(3)}, α ${alpha.toFixed(2)}, a ${a.toFixed(3)}, b ${b.toFixed(3)}; p ${p.toFixed(2)}, q ${q.toFixed(2)}, γ ${gamma.toFixed(2)}`,
    scoreMicros,
  };
};

export const run = async (options: BenchOptions = {}): Promise<BenchResult> => {
  const sizes = sizeOf(options) === 'tiny' ? [5_000] : [100_000, 1_000_000];
  const seed = Number(process.env.BENCH_SEED ?? 1);
  const machine = recordMachine();
  const results = sizes.map((customers) => measure(customers, seed));
  const facts = machine.finish();
  const thousands = (value: number) => Math.round(value).toLocaleString('en-US');
  const rows = results
    .map(
      (result) =>
        `| ${thousands(result.customers)} | ${thousands(result.distinct)} | **${result.fitSeconds.toFixed(1)} s** | ${result.heapMb.toFixed(0)} MB | ${result.converged ? 'yes' : 'no'} | ${result.parameters} | ${result.scoreMicros.toFixed(0)} µs |`,
    )
    .join('\n');
  const largest = results.at(-1);
  const markdown = `## Fitting the value models

\`scripts/bench/value-models.ts\`: BG/NBD and Gamma-Gamma fitted by maximum likelihood (\`fitValueModels\`,
lib/domain/value-model.ts) as the daily customer-value refresh fits them, on bases drawn from the CDNOW
estimates (α in days: 30.9) over two years of whole days, each customer joining at a random day. The summaries
are grouped first (customers with the same repeat count, recency and age are one likelihood term for BG/NBD;
Gamma-Gamma groups by count and mean value). One core, no I/O; reading the cards is the refresh's other cost.

| customers | distinct summaries | fit, both models | heap grown | converged | parameters found (days) | scoring one customer |
|---|---|---|---|---|---|---|
${rows}

${machineRows(facts)}

Scoring is pAlive, purchases expected in 90 and 365 days, the expected order value and a three-year CLV
discounted at 10 % a year, month by month (36 of BG/NBD's conditional expectations, each a Gauss hypergeometric
function): ${largest === undefined ? '' : `about ${((largest.scoreMicros * largest.customers) / 1e6).toFixed(0)} s of one core for ${thousands(largest.customers)} customers, spread over the rescoring job's pages`}.
Run it alone with \`npx tsx scripts/bench/value-models.ts\`.
`;
  return finish(options, 'value-models', markdown, {
    'fit seconds, largest base': largest?.fitSeconds ?? 0,
    'scoring µs per customer': largest?.scoreMicros ?? 0,
  });
};

if (isCommandLine(import.meta.url)) await runAlone(run);
