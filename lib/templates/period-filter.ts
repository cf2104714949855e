/**
 * `{{ trigger.item.replacementCycleDays | period }}`: a number of days as people
 * say it, "10 days", "6 weeks", "5 months", "4.25 years": rounded to the unit that
 * fits, so a learned cycle of 41.7 days reads "6 weeks" (years to the quarter). What is not a positive
 * number of days renders as the fallback (`| period: "regularly"`), else nothing.
 */
export const period = (value: unknown, fallback?: unknown): string => {
  const days = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
  if (!(Number.isFinite(days) && days > 0)) return typeof fallback === 'string' ? fallback : '';
  const counted = (count: number, unit: string) => `${count} ${unit}${count === 1 ? '' : 's'}`;
  if (days < 14) return counted(Math.round(days), 'day');
  if (days < 91) return counted(Math.round(days / 7), 'week');
  if (days < 730) return counted(Math.round(days / (365.25 / 12)), 'month');
  return counted(Math.round((days / 365.25) * 4) / 4, 'year');
};
