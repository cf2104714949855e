import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { cdnowHoldoutWeeks, chartFile, holdoutSvg } from '../../../../scripts/models/holdout-chart.js';

describe('the CDNOW holdout, week by week', () => {
  it('adds up to the holdout totals: 1,882 made, about 1,653 expected by BG/NBD', async () => {
    const weeks = await cdnowHoldoutWeeks();
    expect(weeks).toHaveLength(39);
    const last = weeks.at(-1);
    expect(last?.actual).toBe(1882);
    expect(Math.abs((last?.predicted ?? 0) - 1653) / 1653).toBeLessThan(0.01);
    for (const [index, week] of weeks.entries()) {
      const before = weeks[index - 1];
      if (before === undefined) continue;
      expect(week.actual).toBeGreaterThanOrEqual(before.actual);
      expect(week.predicted).toBeGreaterThan(before.predicted);
    }
  });

  it('is the chart docs/customer-value.md shows (npm run models:chart redraws it)', async () => {
    expect(await readFile(chartFile, 'utf8')).toBe(holdoutSvg(await cdnowHoldoutWeeks()));
  });
});
