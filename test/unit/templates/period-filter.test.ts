import { describe, expect, it } from 'vitest';
import { period } from '../../../lib/templates/period-filter.js';

describe('the period filter', () => {
  it('says a cycle in the unit that fits', () => {
    expect(period(1)).toBe('1 day');
    expect(period(10)).toBe('10 days');
    expect(period(41.7)).toBe('6 weeks');
    expect(period(180)).toBe('6 months');
    expect(period(1552.3)).toBe('4.25 years');
    expect(period(730.5)).toBe('2 years');
  });

  it('renders the fallback, or nothing, for what is not a number of days', () => {
    expect(period(undefined, 'regularly')).toBe('regularly');
    expect(period('soon')).toBe('');
    expect(period(-3)).toBe('');
    expect(period('42')).toBe('6 weeks');
  });
});
