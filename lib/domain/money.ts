import { z } from 'zod';

/**
 * Money inside Rapport is a whole number of the currency's minor units (cents
 * for EUR, yen for JPY, fils for KWD), so sums are exact integer arithmetic.
 * Amounts are converted only at the edges, with the currency's exponent: what
 * a shop sends (`total: 19.99`) becomes 1999 on the way in, and 1999 is shown
 * as 19.99 on the way out.
 */

/** The currency of a deployment that does not set DEFAULT_CURRENCY, and of a product that names none. */
export const fallbackCurrency = 'EUR';

/** A currency code this runtime does not know, so its exponent cannot be told. */
export class UnknownCurrencyError extends Error {
  override readonly name = 'UnknownCurrencyError';
  constructor(readonly currency: string) {
    super(`"${currency}" is not an ISO 4217 currency code such as EUR`);
  }
}

/** An amount finer than the currency's smallest unit (19.999 EUR, 5.5 JPY): refused, never rounded away. */
export class TooManyDecimalsError extends Error {
  override readonly name = 'TooManyDecimalsError';
  constructor(
    readonly amount: number,
    readonly currency: string,
    readonly exponent: number,
  ) {
    super(`has more decimals than ${currency} allows (${exponent})`);
  }
}

/** An amount whose minor units are past 2^53, which a JavaScript number no longer holds exactly. */
export class AmountTooLargeError extends Error {
  override readonly name = 'AmountTooLargeError';
  constructor(
    readonly amount: number,
    readonly currency: string,
  ) {
    super(`is too large to keep exactly in ${currency}'s minor units (at most 2^53)`);
  }
}

let supported: ReadonlySet<string> | undefined;

/** The ISO 4217 codes this runtime's Intl has data for (upper case). */
export const isCurrency = (code: string): boolean => {
  supported ??= new Set(Intl.supportedValuesOf('currency'));
  return supported.has(code);
};

export const currencyProblem = 'must be an ISO 4217 currency code such as EUR';

/** An ISO 4217 code, upper case, that the runtime knows the exponent of. */
export const CurrencyCode = z
  .string({ error: currencyProblem })
  .regex(/^[A-Z]{3}$/, currencyProblem)
  .refine(isCurrency, currencyProblem);
export type CurrencyCode = z.infer<typeof CurrencyCode>;

/** A whole number of minor units, within what a JavaScript number holds exactly. */
export const MinorUnits = z.int({ error: 'must be a whole number of minor units (cents)' });
export type MinorUnits = z.infer<typeof MinorUnits>;

const exponents = new Map<string, number>();

/**
 * How many decimals the currency's amounts have: JPY 0, EUR 2, KWD 3. Intl's
 * data (CLDR), as the runtime carries it; UnknownCurrencyError for a code it
 * does not list, rather than Intl's silent default of 2.
 */
export const currencyExponent = (currency: string): number => {
  const known = exponents.get(currency);
  if (known !== undefined) return known;
  if (!isCurrency(currency)) throw new UnknownCurrencyError(currency);
  const exponent = new Intl.NumberFormat(undefined, { style: 'currency', currency }).resolvedOptions()
    .maximumFractionDigits;
  if (exponent === undefined) throw new UnknownCurrencyError(currency);
  exponents.set(currency, exponent);
  return exponent;
};

/** A number as the decimal it was written as: `digits` × 10^-`scale`, without trailing zeros after the point. */
interface Decimal {
  negative: boolean;
  digits: bigint;
  scale: number;
}

/**
 * The shortest decimal that reads back as this number (JavaScript's own
 * `String(19.99)` is `"19.99"`, not the binary value 19.989999…), so 19.99 is
 * 1999 cents and never 1998.
 */
const decimalOf = (amount: number): Decimal => {
  const match = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(String(amount));
  if (match === null) throw new RangeError(`${amount} is not a finite amount`);
  const [, sign = '', whole = '0', fraction = '', power = '0'] = match;
  let digits = BigInt(whole + fraction);
  let scale = fraction.length - Number(power);
  while (scale > 0 && digits % 10n === 0n && digits !== 0n) {
    digits /= 10n;
    scale -= 1;
  }
  return { negative: sign === '-', digits, scale: digits === 0n ? 0 : scale };
};

/** The decimal in units of 10^-exponent, rounded half away from zero where it is finer. */
const scaled = ({ negative, digits, scale }: Decimal, exponent: number): bigint => {
  const shift = exponent - scale;
  let units: bigint;
  if (shift >= 0) units = digits * 10n ** BigInt(shift);
  else {
    const divisor = 10n ** BigInt(-shift);
    units = (digits + divisor / 2n) / divisor;
  }
  return negative ? -units : units;
};

const safeNumber = (units: bigint, amount: number, currency: string): number => {
  if (units > BigInt(Number.MAX_SAFE_INTEGER) || units < -BigInt(Number.MAX_SAFE_INTEGER))
    throw new AmountTooLargeError(amount, currency);
  return Number(units);
};

/**
 * How far a sender's binary float may stray from the amount it means: a couple
 * of units in the last place (0.1 + 0.2 is 0.30000000000000004, 64.97 + 19.99 is
 * 84.96000000000001). Any amount a person could mean is farther than this from
 * every valid one: 19.999 EUR is a thousandth away.
 */
const isFloatNoise = (amount: number, meant: number): boolean =>
  Math.abs(amount - meant) <= 2 * Number.EPSILON * Math.abs(amount);

/**
 * An amount in major units (as a shop sends it, `19.99`) as a whole number of
 * the currency's minor units (1999), exactly. An amount with more decimals than
 * the currency has is refused (TooManyDecimalsError), except the noise of a
 * sender's float arithmetic, which is the amount it was meant to be.
 */
export const toMinorUnits = (amount: number, currency: string): number => {
  const exponent = currencyExponent(currency);
  const decimal = decimalOf(amount);
  const units = scaled(decimal, exponent);
  if (decimal.scale > exponent && !isFloatNoise(amount, Number(units) / 10 ** exponent))
    throw new TooManyDecimalsError(amount, currency, exponent);
  return safeNumber(units, amount, currency);
};

/**
 * The nearest whole number of minor units, half away from zero. Only for
 * amounts already stored in major units before money was kept in minor units,
 * which nothing ever checked for decimals; everything arriving now goes through
 * toMinorUnits, which refuses instead.
 */
export const roundToMinorUnits = (amount: number, currency: string): number =>
  safeNumber(scaled(decimalOf(amount), currencyExponent(currency)), amount, currency);

/** Minor units as a decimal amount in major units, for output: 1999 EUR is 19.99, 1999 JPY is 1999. */
export const fromMinorUnits = (minor: number, currency: string): number => {
  const exponent = currencyExponent(currency);
  return exponent === 0 ? minor : minor / 10 ** exponent;
};

/**
 * Minor units of one currency counted as the other's, amount for amount (no
 * exchange rate): 1000 JPY is 1000.00, 100000 in EUR cents. What a sum over
 * orders in several currencies does, as it always did in major units; a shop
 * that sells in several must convert before it sends. Rounded half away from
 * zero where the target has fewer decimals.
 */
export const rescaleMinorUnits = (minor: number, from: string, to: string): number => {
  const shift = currencyExponent(to) - currencyExponent(from);
  if (shift === 0) return minor;
  return safeNumber(
    scaled({ negative: minor < 0, digits: BigInt(Math.abs(minor)), scale: -shift }, 0),
    minor,
    to,
  );
};
