import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { runCli } from '../../../lib/cli/main.js';
import { ModelInputError } from '../../../lib/cli/models-command.js';

const cdnow = join(import.meta.dirname, '..', '..', 'fixtures', 'cdnow', 'cdnow_sample_orders.csv');

const run = async (args: string[]) => {
  const printed: string[] = [];
  const code = await runCli(args, { print: (text) => printed.push(text.toString()), env: {} });
  return { code, output: printed.join('\n') };
};

const Fitted = z.object({
  status: z.literal('fitted'),
  bgnbd: z.object({ r: z.number(), alpha: z.number(), a: z.number(), b: z.number() }),
  gammaGamma: z.object({ p: z.number(), q: z.number(), gamma: z.number() }),
  holdout: z.object({ predicted: z.number(), actual: z.number(), heuristic: z.number(), days: z.number() }),
  converged: z.object({ bgnbd: z.literal(true), gammaGamma: z.literal(true) }),
});

const within = (actual: number, expected: number, share: number) =>
  expect(Math.abs(actual - expected) / expected).toBeLessThanOrEqual(share);

const aFile = async (text: string): Promise<string> => {
  const file = join(await mkdtemp(join(tmpdir(), 'rapport-models-')), 'orders.csv');
  await writeFile(file, text);
  return file;
};

describe('rapport models fit on the CDNOW sample, as of 1997-09-30 in weeks', () => {
  it('reproduces the published parameters within 2 % and the holdout within 1 % of 1,653', async () => {
    const { code, output } = await run([
      'models',
      'fit',
      '--orders',
      cdnow,
      '--as-of',
      '1997-09-30',
      '--until',
      '1998-06-30',
      '--json',
    ]);
    expect(code).toBe(0);
    const report = Fitted.parse(JSON.parse(output));
    within(report.bgnbd.r, 0.243, 0.02);
    within(report.bgnbd.alpha, 4.414, 0.02);
    within(report.bgnbd.a, 0.793, 0.02);
    within(report.bgnbd.b, 2.426, 0.02);
    within(report.gammaGamma.p, 6.25, 0.02);
    within(report.gammaGamma.q, 3.74, 0.02);
    within(report.gammaGamma.gamma, 15.44, 0.02);
    expect(report.holdout.days).toBe(273);
    within(report.holdout.predicted, 1653, 0.01);
    expect(report.holdout.actual).toBe(1882);
    // The heuristic it replaces is further off than the model.
    expect(Math.abs(report.holdout.heuristic - 1882)).toBeGreaterThan(
      Math.abs(report.holdout.predicted - 1882),
    );
  });

  it('prints the parameters with their standard errors, the log-likelihood and the holdout as text', async () => {
    const { code, output } = await run([
      'models',
      'fit',
      '--orders',
      cdnow,
      '--as-of',
      '1997-09-30',
      '--until',
      '1998-06-30',
    ]);
    expect(code).toBe(0);
    expect(output).toMatch(/^r\s+0\.24\d+\s+0\.01\d+$/m);
    expect(output).toMatch(/log-likelihood -9582\.4\d+, converged/);
    expect(output).toMatch(/predicted by BG\/NBD\s+1653\.\d \(−12\.\d % against the actual\)/);
    expect(output).toMatch(/actual\s+1,882/);
  });

  it('gives days as the unit on request: α in days is seven times α in weeks', async () => {
    const weeks = Fitted.parse(
      JSON.parse(
        (
          await run([
            'models',
            'fit',
            '--orders',
            cdnow,
            '--as-of',
            '1997-09-30',
            '--until',
            '1998-06-30',
            '--json',
          ])
        ).output,
      ),
    );
    const days = Fitted.parse(
      JSON.parse(
        (
          await run([
            'models',
            'fit',
            '--orders',
            cdnow,
            '--as-of',
            '1997-09-30',
            '--until',
            '1998-06-30',
            '--unit',
            'day',
            '--json',
          ])
        ).output,
      ),
    );
    within(days.bgnbd.alpha, weeks.bgnbd.alpha * 7, 0.01);
    within(days.bgnbd.r, weeks.bgnbd.r, 0.01);
    within(days.holdout.predicted, weeks.holdout.predicted, 0.01);
  });
});

describe('when the input cannot be used', () => {
  it('names the line and the column of a bad row', async () => {
    const file = await aFile('customer_id,date,amount\nc1,1997-01-01,10\nc2,1997-13-01,5\n');
    await expect(run(['models', 'fit', '--orders', file, '--as-of', '1997-09-30'])).rejects.toThrow(
      /line 3, date/,
    );
  });

  it('says which flag is missing or wrong', async () => {
    await expect(run(['models', 'fit', '--as-of', '1997-09-30'])).rejects.toThrow(ModelInputError);
    await expect(run(['models', 'fit', '--orders', cdnow])).rejects.toThrow(/--as-of/);
    await expect(
      run(['models', 'fit', '--orders', cdnow, '--as-of', '1997-09-30', '--unit', 'month']),
    ).rejects.toThrow(/--unit must be week or day/);
    await expect(
      run(['models', 'fit', '--orders', '/no/such/file.csv', '--as-of', '1997-09-30']),
    ).rejects.toThrow(/cannot read \/no\/such\/file\.csv/);
  });

  it('keeps the heuristic, and exits 1, when the base has too few repeat customers', async () => {
    const file = await aFile(
      'customer_id,date,amount\nc1,1997-01-01,10\nc1,1997-02-01,12\nc2,1997-03-01,5\n',
    );
    const { code, output } = await run(['models', 'fit', '--orders', file, '--as-of', '1997-09-30']);
    expect(code).toBe(1);
    expect(output).toMatch(/2 customers as of 1997-09-30, 1 with a repeat purchase: the models need 200/);
  });
});
