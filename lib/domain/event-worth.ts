import type { ContactEvent } from './contact-event.js';
import { isCurrency, rescaleMinorUnits, roundToMinorUnits } from './money.js';

/**
 * What a converting event was worth, in minor units of the deployment's
 * currency: its `revenue` (major units, as in an order's event) in its own
 * `currency` when it names a known one, counted amount for amount; 0 when it
 * carries no revenue. Journey goals and campaign goals count it alike.
 */
export const eventWorth = (event: ContactEvent, defaultCurrency: string): number => {
  const { revenue, currency } = event.data;
  if (typeof revenue !== 'number' || !Number.isFinite(revenue) || revenue <= 0) return 0;
  const sentIn = typeof currency === 'string' && isCurrency(currency) ? currency : defaultCurrency;
  return rescaleMinorUnits(roundToMinorUnits(revenue, sentIn), sentIn, defaultCurrency);
};
