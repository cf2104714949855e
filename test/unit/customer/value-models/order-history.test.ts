import { describe, expect, it } from 'vitest';
import { OrderHistoryError, parseOrderHistory } from '../../../../lib/domain/order-history.js';
import { cdnowOrders } from './support/cdnow.js';

const problemOf = (text: string): Pick<OrderHistoryError, 'line' | 'field' | 'message'> => {
  try {
    parseOrderHistory(text);
  } catch (error) {
    if (error instanceof OrderHistoryError)
      return { line: error.line, field: error.field, message: error.message };
    throw error;
  }
  throw new Error('the file was read without a problem');
};

describe('parseOrderHistory', () => {
  it('reads every transaction record of the CDNOW sample', () => {
    const rows = cdnowOrders();
    expect(rows).toHaveLength(6_919);
    expect(rows[0]).toEqual({ customerId: '00004', date: '1997-01-01', amount: 29.33 });
    expect(new Set(rows.map((row) => row.customerId)).size).toBe(2_357);
  });

  it('takes the columns in any order, ignores others, and accepts a BOM, CRLF, quotes and blank lines', () => {
    const text =
      '\uFEFFamount,order_id,date,customer_id\r\n12.5,o1,1997-01-02,"c1"\r\n\r\n"3",o2,"1997-02-03",c2\r\n';
    expect(parseOrderHistory(text)).toEqual([
      { customerId: 'c1', date: '1997-01-02', amount: 12.5 },
      { customerId: 'c2', date: '1997-02-03', amount: 3 },
    ]);
  });

  it('reads a header alone as no orders', () => {
    expect(parseOrderHistory('customer_id,date,amount\n')).toEqual([]);
  });

  describe('when the header is wrong', () => {
    it('names the missing column', () => {
      expect(problemOf('customer id,date,amount\nc1,1997-01-01,3')).toMatchObject({
        line: 1,
        field: 'header',
        message: expect.stringContaining('has no customer_id column'),
      });
    });

    it('says the header is missing from an empty file', () => {
      expect(problemOf('')).toMatchObject({ line: 1, field: 'header' });
    });

    it('refuses a column named twice', () => {
      expect(problemOf('customer_id,date,amount,date\n')).toMatchObject({
        line: 1,
        field: 'header',
        message: 'line 1, header: names date twice',
      });
    });
  });

  describe('when a line is bad', () => {
    const header = 'customer_id,date,amount\nc1,1997-01-01,10\n';

    it('names the line and the date that is no calendar day', () => {
      expect(problemOf(`${header}c2,1997-02-30,10\n`)).toEqual({
        line: 3,
        field: 'date',
        message: 'line 3, date: "1997-02-30" is not a calendar day written YYYY-MM-DD',
      });
      expect(problemOf(`${header}c2,2/3/1997,10`)).toMatchObject({ line: 3, field: 'date' });
    });

    it('names the line and the amount that is not a number', () => {
      expect(problemOf(`${header}\nc2,1997-02-03,12,50`)).toMatchObject({ line: 4, field: 'row' });
      expect(problemOf(`${header}c2,1997-02-03,twelve`)).toEqual({
        line: 3,
        field: 'amount',
        message: 'line 3, amount: "twelve" is not a decimal number',
      });
      for (const amount of ['', '0x1A', 'Infinity', '1e999']) {
        expect(problemOf(`${header}c2,1997-02-03,${amount}`)).toMatchObject({ line: 3, field: 'amount' });
      }
    });

    it('refuses a negative amount', () => {
      expect(problemOf(`${header}c2,1997-02-03,-5`)).toMatchObject({
        line: 3,
        field: 'amount',
        message: expect.stringContaining('must be ≥ 0'),
      });
    });

    it('refuses an empty customer id', () => {
      expect(problemOf(`${header},1997-02-03,5`)).toMatchObject({ line: 3, field: 'customer_id' });
    });

    it('refuses a row with too few fields', () => {
      expect(problemOf(`${header}c2,1997-02-03`)).toEqual({
        line: 3,
        field: 'row',
        message: 'line 3, row: has 2 fields where the header has 3',
      });
    });

    it('refuses a quote inside a field', () => {
      expect(problemOf(`${header}"c"2",1997-02-03,4`)).toMatchObject({ line: 3, field: 'row' });
    });
  });
});
