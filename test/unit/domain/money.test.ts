import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AmountTooLargeError,
  CurrencyCode,
  currencyExponent,
  fromMinorUnits,
  MinorUnits,
  rescaleMinorUnits,
  roundToMinorUnits,
  TooManyDecimalsError,
  toMinorUnits,
  UnknownCurrencyError,
} from '../../../lib/domain/money.js';

describe('a currency', () => {
  it.each([
    ['JPY', 0],
    ['EUR', 2],
    ['USD', 2],
    ['KWD', 3],
  ])('%s has %i decimals, as Intl knows them', (currency, exponent) => {
    expect(currencyExponent(currency)).toBe(exponent);
  });

  it('that the runtime does not list is unknown, not silently given two decimals as Intl would', () => {
    expect(() => currencyExponent('XYZ')).toThrow(UnknownCurrencyError);
    expect(() => toMinorUnits(1, 'XYZ')).toThrow('"XYZ" is not an ISO 4217 currency code');
    expect(CurrencyCode.safeParse('XYZ').success).toBe(false);
    expect(CurrencyCode.safeParse('eur').success).toBe(false);
    expect(CurrencyCode.safeParse('EUR').success).toBe(true);
  });
});

describe('an amount converted to minor units', () => {
  it('is exact where the binary float is not: 19.99 EUR is 1999, never 1998', () => {
    // 19.99 * 100 is 1998.9999999999998 in floats.
    expect(19.99 * 100).not.toBe(1999);
    expect(toMinorUnits(19.99, 'EUR')).toBe(1999);
    expect(toMinorUnits(1.005, 'KWD')).toBe(1005);
    expect(toMinorUnits(4.35, 'USD')).toBe(435);
  });

  it('follows the currency exponent: yen have none, fils three', () => {
    expect(toMinorUnits(1500, 'JPY')).toBe(1500);
    expect(toMinorUnits(12.5, 'EUR')).toBe(1250);
    expect(toMinorUnits(12.5, 'KWD')).toBe(12_500);
    expect(toMinorUnits(0, 'EUR')).toBe(0);
  });

  it('adds up exactly where floats do not: 0.1 + 0.2 in cents is 30', () => {
    expect(0.1 + 0.2).not.toBe(0.3);
    expect(toMinorUnits(0.1, 'EUR') + toMinorUnits(0.2, 'EUR')).toBe(toMinorUnits(0.3, 'EUR'));
    expect(toMinorUnits(64.97, 'EUR') + toMinorUnits(19.99, 'EUR')).toBe(8496);
  });

  it("reads a sender's float sum as the amount it meant: 0.30000000000000004 EUR is 30", () => {
    expect(toMinorUnits(0.1 + 0.2, 'EUR')).toBe(30);
    expect(toMinorUnits(64.97 + 19.99, 'EUR')).toBe(8496);
  });

  it.each([
    [19.999, 'EUR', 'has more decimals than EUR allows (2)'],
    [0.305, 'EUR', 'has more decimals than EUR allows (2)'],
    [5.5, 'JPY', 'has more decimals than JPY allows (0)'],
    [1.0005, 'KWD', 'has more decimals than KWD allows (3)'],
    [1e-7, 'EUR', 'has more decimals than EUR allows (2)'],
  ])('is refused when finer than the currency: %d %s', (amount, currency, message) => {
    expect(() => toMinorUnits(amount, currency)).toThrow(TooManyDecimalsError);
    expect(() => toMinorUnits(amount, currency)).toThrow(message);
  });

  it('is refused when its minor units are past 2^53', () => {
    expect(() => toMinorUnits(2 ** 52, 'EUR')).toThrow(AmountTooLargeError);
    expect(() => toMinorUnits(1e21, 'JPY')).toThrow(AmountTooLargeError);
  });

  it('round-trips through minor units for every amount with at most the currency decimals', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('JPY', 'EUR', 'KWD'),
        fc.integer({ min: -(2 ** 51), max: 2 ** 51 }),
        (currency, minor) => {
          const amount = fromMinorUnits(minor, currency);
          expect(toMinorUnits(amount, currency)).toBe(minor);
          // The decimal shown is the one meant: no float tail.
          expect(String(amount)).toBe(String(Number(`${minor}e-${currencyExponent(currency)}`)));
        },
      ),
    );
  });

  it('is a safe integer, which the minor-units schema checks', () => {
    expect(MinorUnits.safeParse(1999).success).toBe(true);
    expect(MinorUnits.safeParse(19.99).success).toBe(false);
    expect(MinorUnits.safeParse(2 ** 53).success).toBe(false);
  });
});

describe('minor units shown in major units', () => {
  it.each([
    [1999, 'EUR', 19.99],
    [1999, 'JPY', 1999],
    [1999, 'KWD', 1.999],
    [0, 'EUR', 0],
  ])('%i %s is %d', (minor, currency, amount) => {
    expect(fromMinorUnits(minor, currency)).toBe(amount);
  });
});

describe('an amount stored in major units before minor units', () => {
  it('is rounded to the nearest minor unit, half away from zero, as the decimal it was written as', () => {
    expect(roundToMinorUnits(19.99, 'EUR')).toBe(1999);
    expect(roundToMinorUnits(84.96000000000001, 'EUR')).toBe(8496);
    expect(roundToMinorUnits(1.005, 'EUR')).toBe(101);
    expect(roundToMinorUnits(2.4999, 'JPY')).toBe(2);
  });
});

describe('minor units counted in another currency', () => {
  it('keep the amount, not an exchange rate: 1000 JPY in EUR cents is 100000, 1.234 KWD is 123 cents', () => {
    expect(rescaleMinorUnits(1000, 'JPY', 'EUR')).toBe(100_000);
    expect(rescaleMinorUnits(1234, 'KWD', 'EUR')).toBe(123);
    expect(rescaleMinorUnits(1235, 'KWD', 'EUR')).toBe(124);
    expect(rescaleMinorUnits(1999, 'EUR', 'USD')).toBe(1999);
  });
});
