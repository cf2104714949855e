import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type HoldoutWeek, holdoutWeeks } from '../../lib/domain/model-report.js';
import { parseOrderHistory } from '../../lib/domain/order-history.js';

/**
 * `npm run models:chart`: the CDNOW sample's holdout (1997-10-01 to
 * 1998-06-30), week by week, as docs/customer-value.md shows it: the
 * cumulative repeat transactions made against BG/NBD's and the heuristic's
 * expectation, drawn to docs/images/cdnow-holdout.svg.
 */

const repoRoot = join(import.meta.dirname, '..', '..');
export const chartFile = join(repoRoot, 'docs', 'images', 'cdnow-holdout.svg');
export const cdnowOrders = join(repoRoot, 'test', 'fixtures', 'cdnow', 'cdnow_sample_orders.csv');

const width = 720;
const height = 420;
const margin = { top: 40, right: 170, bottom: 50, left: 70 };

const series = [
  { key: 'actual', label: 'actual', colour: '#1b1b1b', dash: '' },
  { key: 'predicted', label: 'BG/NBD', colour: '#1f6fb2', dash: '' },
  { key: 'heuristic', label: 'old heuristic', colour: '#b2461f', dash: '6 4' },
] as const;

const niceStep = (max: number): number => {
  const rough = max / 5;
  const power = 10 ** Math.floor(Math.log10(rough));
  return [1, 2, 5, 10].map((m) => m * power).find((step) => step >= rough) ?? rough;
};

export const holdoutSvg = (weeks: readonly HoldoutWeek[]): string => {
  const innerWidth = width - margin.left - margin.right;
  const innerHeight = height - margin.top - margin.bottom;
  const lastWeek = weeks.at(-1)?.week ?? 1;
  const top = Math.max(...weeks.flatMap((w) => [w.actual, w.predicted, w.heuristic]), 1);
  const step = niceStep(top);
  const yMax = Math.ceil(top / step) * step;
  const x = (week: number) => margin.left + (week / lastWeek) * innerWidth;
  const y = (value: number) => margin.top + innerHeight - (value / yMax) * innerHeight;
  const ticks: string[] = [];
  for (let value = 0; value <= yMax; value += step) {
    ticks.push(
      `<line x1="${margin.left}" x2="${margin.left + innerWidth}" y1="${y(value).toFixed(1)}" y2="${y(value).toFixed(1)}" stroke="#ddd"/>`,
      `<text x="${margin.left - 8}" y="${(y(value) + 4).toFixed(1)}" text-anchor="end">${value.toLocaleString('en-US')}</text>`,
    );
  }
  for (let week = 0; week <= lastWeek; week += 13) {
    ticks.push(
      `<text x="${x(week).toFixed(1)}" y="${margin.top + innerHeight + 20}" text-anchor="middle">${week}</text>`,
    );
  }
  const lines = series.map(({ key, label, colour, dash }) => {
    const points = [{ week: 0, value: 0 }, ...weeks.map((w) => ({ week: w.week, value: w[key] }))]
      .map((p) => `${x(p.week).toFixed(1)},${y(p.value).toFixed(1)}`)
      .join(' ');
    const last = weeks.at(-1)?.[key] ?? 0;
    return [
      `<polyline fill="none" stroke="${colour}" stroke-width="2.5"${dash === '' ? '' : ` stroke-dasharray="${dash}"`} points="${points}"/>`,
      `<text x="${margin.left + innerWidth + 8}" y="${(y(last) + 4).toFixed(1)}" fill="${colour}">${label} ${Math.round(last).toLocaleString('en-US')}</text>`,
    ].join('\n  ');
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" font-family="system-ui, sans-serif" font-size="13" role="img" aria-labelledby="title">
  <title id="title">CDNOW sample, holdout 1997-10-01 to 1998-06-30: cumulative repeat transactions, actual against BG/NBD and the old heuristic</title>
  <rect width="${width}" height="${height}" fill="#fff"/>
  <text x="${margin.left}" y="24" font-size="15" font-weight="600">Repeat transactions in the holdout, cumulative (CDNOW, 2,357 customers)</text>
  ${ticks.join('\n  ')}
  <text x="${margin.left + innerWidth / 2}" y="${height - 10}" text-anchor="middle">weeks after 1997-09-30</text>
  ${lines.join('\n  ')}
</svg>
`;
};

export const cdnowHoldoutWeeks = async (): Promise<HoldoutWeek[]> =>
  holdoutWeeks(parseOrderHistory(await readFile(cdnowOrders, 'utf8')), {
    asOf: '1997-09-30',
    until: '1998-06-30',
    unit: 'week',
    // Only stamps the fit; no figure depends on it.
    now: new Date('1997-10-01T00:00:00.000Z'),
  });

const main = async () => {
  const weeks = await cdnowHoldoutWeeks();
  await writeFile(chartFile, holdoutSvg(weeks));
  console.log('week  actual  BG/NBD  heuristic');
  for (const w of weeks.filter((w) => w.week % 13 === 0 || w.week === weeks.length))
    console.log(
      `${String(w.week).padStart(4)}  ${String(w.actual).padStart(6)}  ${w.predicted.toFixed(0).padStart(6)}  ${w.heuristic.toFixed(0).padStart(9)}`,
    );
  console.log(`wrote ${chartFile}`);
};

if (process.argv[1] === import.meta.filename) await main();
