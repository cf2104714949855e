import { currencyExponent, isCurrency } from '../domain/money.js';

const known = (currency: string | undefined): currency is string =>
  currency !== undefined && isCurrency(currency);

/** An amount in major units with its currency's own decimals: `1,234.50` in EUR, `1,500` in JPY; two if unknown. */
export const amountText = (amount: number, currency: string | undefined): string => {
  const decimals = known(currency) ? currencyExponent(currency) : 2;
  return amount.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
};

/** The amount and its currency, as people read them: `1,234.50 EUR`. */
export const moneyText = (amount: number, currency: string | undefined): string =>
  known(currency) ? `${amountText(amount, currency)} ${currency}` : amountText(amount, currency);
