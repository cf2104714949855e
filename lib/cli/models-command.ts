import { readFile } from 'node:fs/promises';
import { CustomerValueStatus } from '../domain/customer-value-status.js';
import { type ModelReport, modelReport } from '../domain/model-report.js';
import { OrderHistoryError, parseOrderHistory } from '../domain/order-history.js';
import { InvalidPeriodError, TimeUnit } from '../domain/repeat-summary.js';
import { formatTable } from './table.js';
import { type TerminalText, terminal, terminalJson, terminalLines } from './terminal-text.js';

/** A models command that read its input and could not use it: the message says what and where. */
export class ModelInputError extends Error {
  override readonly name = 'ModelInputError';
}

export interface ModelsOptions {
  orders?: string | undefined;
  asOf?: string | undefined;
  until?: string | undefined;
  unit?: string | undefined;
  json: boolean;
}

const figure = (value: number | null | undefined, digits = 4): string =>
  value === null || value === undefined ? '–' : value.toPrecision(digits);

const count = (value: number): string => Math.round(value).toLocaleString('en-US');

const signedPercent = (value: number): string =>
  `${value >= 0 ? '+' : '−'}${Math.abs(value * 100).toFixed(1)} %`;

/** What `--json` prints: the parameters by name first, then everything else the fit knows. */
const asJson = (report: ModelReport): unknown => {
  const { outcome } = report;
  const fits =
    outcome.status === 'fitted'
      ? { bgnbd: outcome.fit.bgnbd, gammaGamma: outcome.fit.gammaGamma }
      : outcome.status === 'too-few'
        ? undefined
        : { bgnbd: outcome.bgnbd, gammaGamma: outcome.gammaGamma };
  return {
    status: outcome.status,
    ...(fits === undefined
      ? {}
      : {
          bgnbd: fits.bgnbd.parameters,
          gammaGamma: fits.gammaGamma.parameters,
          standardErrors: { bgnbd: fits.bgnbd.standardErrors, gammaGamma: fits.gammaGamma.standardErrors },
          logLikelihood: { bgnbd: fits.bgnbd.logLikelihood, gammaGamma: fits.gammaGamma.logLikelihood },
          converged: { bgnbd: fits.bgnbd.converged, gammaGamma: fits.gammaGamma.converged },
          iterations: { bgnbd: fits.bgnbd.iterations, gammaGamma: fits.gammaGamma.iterations },
        }),
    ...(report.holdout === undefined ? {} : { holdout: report.holdout }),
    asOf: report.asOf,
    unit: report.unit,
    customers: report.customers,
    ...(outcome.status === 'fitted' ? { repeatCustomers: outcome.fit.repeatCustomers } : {}),
    ...(outcome.status === 'too-few' || outcome.status === 'fitted' ? {} : { detail: outcome.detail }),
    ...(outcome.status === 'too-few'
      ? { repeatCustomers: outcome.repeatCustomers, needed: outcome.needed }
      : {}),
  };
};

const parameterRows = (
  parameters: Record<string, number>,
  errors: Record<string, number> | null,
): Array<Record<string, string>> =>
  Object.entries(parameters).map(([name, value]) => ({
    parameter: name,
    estimate: figure(value),
    'standard error': figure(errors?.[name], 3),
  }));

const asText = (report: ModelReport): TerminalText => {
  const { outcome, unit } = report;
  if (outcome.status === 'too-few')
    return terminal`${count(report.customers)} customers as of ${report.asOf}, ${count(outcome.repeatCustomers)} with a repeat purchase: the models need ${count(outcome.needed)} repeat customers (with a positive order value), so Rapport keeps its heuristic.`;
  const fits =
    outcome.status === 'fitted'
      ? outcome.fit
      : { bgnbd: outcome.bgnbd, gammaGamma: outcome.gammaGamma, repeatCustomers: undefined };
  const { bgnbd, gammaGamma } = fits;
  const blocks: TerminalText[] = [
    terminal`BG/NBD (how often customers buy), ${count(report.customers)} customers as of ${report.asOf}, times in ${unit}s
${formatTable(parameterRows(bgnbd.parameters, bgnbd.standardErrors))}
log-likelihood ${bgnbd.logLikelihood.toFixed(3)}, ${bgnbd.converged ? 'converged' : 'NOT converged'} in ${count(bgnbd.iterations)} iterations`,
    terminal`Gamma-Gamma (what an order is worth), on the repeat customers with a positive order value
${formatTable(parameterRows(gammaGamma.parameters, gammaGamma.standardErrors))}
log-likelihood ${gammaGamma.logLikelihood.toFixed(3)}, ${gammaGamma.converged ? 'converged' : 'NOT converged'} in ${count(gammaGamma.iterations)} iterations`,
  ];
  if (outcome.status !== 'fitted')
    blocks.push(terminal`Not usable: ${outcome.detail}. Rapport keeps its heuristic.`);
  const { holdout } = report;
  if (holdout !== undefined) {
    const error = (predicted: number) =>
      holdout.actual === undefined || holdout.actual === 0
        ? ''
        : ` (${signedPercent((predicted - holdout.actual) / holdout.actual)} against the actual)`;
    blocks.push(
      terminal`Repeat transactions of these customers from ${holdout.from} to ${holdout.until} (${count(holdout.days)} days)
  predicted by BG/NBD         ${holdout.predicted.toFixed(1)}${error(holdout.predicted)}
  predicted by the heuristic  ${holdout.heuristic.toFixed(1)}${error(holdout.heuristic)}
  actual                      ${holdout.actual === undefined ? 'no orders after the fit in the file' : count(holdout.actual)}`,
    );
  }
  return terminalLines(blocks, '\n\n');
};

const required = (value: string | undefined, flag: string, example: string): string => {
  if (value === undefined || value === '') throw new ModelInputError(`give ${flag}, e.g. ${flag} ${example}`);
  return value;
};

/** `rapport models fit --orders FILE.csv --as-of DATE [--until DATE] [--unit week|day] [--json]`: offline. */
export const modelsFit = async (
  options: ModelsOptions,
  print: (text: TerminalText) => void,
  now: Date,
): Promise<number> => {
  const file = required(options.orders, '--orders', 'orders.csv');
  const asOf = required(options.asOf, '--as-of', '1997-09-30');
  const unit = TimeUnit.safeParse(options.unit ?? 'week');
  if (!unit.success) throw new ModelInputError(`--unit must be week or day, not "${options.unit ?? ''}"`);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ModelInputError(
      `cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  let report: ModelReport;
  try {
    report = modelReport(parseOrderHistory(text), {
      asOf,
      unit: unit.data,
      now,
      ...(options.until === undefined ? {} : { until: options.until }),
    });
  } catch (error) {
    if (error instanceof OrderHistoryError) throw new ModelInputError(`${file}: ${error.message}`);
    if (error instanceof InvalidPeriodError) throw new ModelInputError(error.message);
    throw error;
  }
  print(options.json ? terminalJson(asJson(report)) : asText(report));
  return report.outcome.status === 'fitted' ? 0 : 1;
};

/** `rapport models show` (and the demo): which model scores customers now, with its parameters or why not. */
export const valueModelText = (data: unknown): TerminalText => {
  const parsed = CustomerValueStatus.safeParse(data);
  if (!parsed.success) return terminal`the API answered something that is not the customer-value status`;
  const { thresholds, cycles } = parsed.data;
  if (thresholds === undefined)
    return terminal`No customer-value refresh has run yet: purchases are scored against themselves until the daily refresh.`;
  const clv = thresholds.clv;
  const horizon =
    clv === undefined
      ? ''
      : ` CLV looks ${clv.horizonYears} year${clv.horizonYears === 1 ? '' : 's'} ahead, discounted at ${(clv.annualDiscountRate * 100).toFixed(0)} % a year.`;
  const learned =
    cycles === undefined
      ? ''
      : ` Replacement cycles learned ${cycles.learnedAt}: ${cycles.categories} category levels, ${cycles.products} products (rapport categories).`;
  const model = thresholds.valueModel;
  if (model?.status !== 'fitted')
    return terminal`Refreshed ${thresholds.computedAt} over ${count(thresholds.customers)} customers. Model: the heuristic${model === undefined ? '' : `, because ${model.reason}`}.${horizon}${learned}`;
  const { fit } = model;
  const { r, alpha, a, b } = fit.bgnbd.parameters;
  const { p, q, gamma } = fit.gammaGamma.parameters;
  return terminal`Refreshed ${thresholds.computedAt} over ${count(thresholds.customers)} customers. Model: BG/NBD and Gamma-Gamma, fitted on ${count(fit.customers)} customers (${count(fit.repeatCustomers)} with a repeat purchase), times in ${fit.unit}s:
  BG/NBD       r ${figure(r)}, α ${figure(alpha)}, a ${figure(a)}, b ${figure(b)} (log-likelihood ${fit.bgnbd.logLikelihood.toFixed(1)})
  Gamma-Gamma  p ${figure(p)}, q ${figure(q)}, γ ${figure(gamma)} (money in minor units)${horizon}${learned}`;
};
