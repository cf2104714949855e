import { describe, expect, it } from 'vitest';
import { maxImportRows, parseProductCsv, parseProductJson } from '../../../lib/app/catalog-import.js';
import { ValidationError } from '../../../lib/domain/errors.js';

const header = 'sku,name,category,price,currency,replacement_cycle_days,published_at,url,image';

const csv = (...lines: string[]) => `${[header, ...lines].join('\n')}\n`;

describe('reading a catalog CSV', () => {
  it('turns each row into a product, blank cells absent and numbers as numbers', () => {
    const { rows, problems } = parseProductCsv(
      csv(
        'TONER-1,Toner cartridge,supplies,49.90,EUR,180,,https://shop.example.com/toner,',
        'BOOK-7,"Dune, illustrated",books,25,,,2026-11-01T09:00:00Z,,',
      ),
    );
    expect(problems).toEqual([]);
    expect(rows).toEqual([
      {
        line: 2,
        product: {
          sku: 'TONER-1',
          name: 'Toner cartridge',
          category: 'supplies',
          price: 49.9,
          currency: 'EUR',
          replacementCycleDays: 180,
          url: 'https://shop.example.com/toner',
        },
      },
      {
        line: 3,
        product: {
          sku: 'BOOK-7',
          name: 'Dune, illustrated',
          category: 'books',
          price: 25,
          currency: 'EUR',
          publishedAt: '2026-11-01T09:00:00Z',
        },
      },
    ]);
  });

  it('reports every bad row by its line and field, and keeps the good rows', () => {
    const { rows, problems } = parseProductCsv(
      csv(
        'A-1,Good one,books,10,,,,,',
        'B-2,Bad price,books,ten,,,,,',
        'C 3,Bad sku and currency,books,5,euro,,,,',
        'D-4,Too few,books',
        'E-5,Bad days and date,copiers,900,,1.5,yesterday,,',
        'F-6,Good two,books,12.5,USD,,,,',
      ),
    );
    expect(rows.map((row) => [row.line, row.product.sku])).toEqual([
      [2, 'A-1'],
      [7, 'F-6'],
    ]);
    expect(problems).toEqual([
      { line: 3, sku: 'B-2', field: 'price', message: '"ten" is not a price such as 19.90' },
      { line: 4, sku: 'C 3', field: 'sku', message: expect.stringContaining('letters, digits') },
      { line: 4, sku: 'C 3', field: 'currency', message: 'an ISO 4217 code such as EUR' },
      { line: 5, sku: 'D-4', field: 'row', message: 'has 3 fields; the header has 9' },
      {
        line: 6,
        sku: 'E-5',
        field: 'replacement_cycle_days',
        message: '"1.5" is not a whole number of days',
      },
      { line: 6, sku: 'E-5', field: 'published_at', message: expect.any(String) },
    ]);
  });

  it('counts lines as the file has them: quoted line breaks, blank lines, CRLF and a byte-order mark', () => {
    const text = `\ufeff${header}\r\n"NOTE-1","A note\r\nover two lines",stationery,3,,,,,\r\n\r\nNOTE-2,Missing price,stationery,,,,,,\r\n`;
    const { rows, problems } = parseProductCsv(text);
    expect(rows).toEqual([
      { line: 2, product: expect.objectContaining({ sku: 'NOTE-1', name: 'A note\nover two lines' }) },
    ]);
    expect(problems).toEqual([{ line: 5, sku: 'NOTE-2', field: 'price', message: expect.any(String) }]);
  });

  it('reports a quote that is never closed on its line and still reads the rows after it', () => {
    const { rows, problems } = parseProductCsv(
      csv('A-1,First,books,1,,,,,', 'B-2,"Unclosed,books,2,,,,,', 'C-3,Third,books,3,,,,,'),
    );
    expect(rows.map((row) => [row.line, row.product.sku])).toEqual([
      [2, 'A-1'],
      [4, 'C-3'],
    ]);
    expect(problems).toEqual([
      { line: 3, field: 'row', message: 'a quote opened on this line is never closed' },
    ]);
  });

  it('keeps a stray quote inside a value as text', () => {
    const { rows, problems } = parseProductCsv(csv('TV-1,24" screen,electronics,199,,,,,'));
    expect(problems).toEqual([]);
    expect(rows[0]?.product.name).toBe('24" screen');
  });

  it('stores the first row of a sku and reports the later ones', () => {
    const { rows, problems } = parseProductCsv(csv('A-1,First,books,1,,,,,', 'A-1,Again,books,2,,,,,'));
    expect(rows.map((row) => row.product.name)).toEqual(['First']);
    expect(problems).toEqual([
      { line: 3, sku: 'A-1', field: 'sku', message: expect.stringContaining('line 2') },
    ]);
  });

  it('takes the optional columns in any order, or not at all', () => {
    const { rows, problems } = parseProductCsv('price,sku,category,name\n5,P-1,toys,Kite\n');
    expect(problems).toEqual([]);
    expect(rows[0]?.product).toEqual({
      sku: 'P-1',
      name: 'Kite',
      category: 'toys',
      price: 5,
      currency: 'EUR',
    });
  });

  it('refuses a header with a missing, unknown or repeated column, naming each, and reads no row', () => {
    const refusal = (() => {
      try {
        parseProductCsv('sku,name,prcie,category,name\nA-1,x,1,books,y\n');
      } catch (error) {
        return error;
      }
    })();
    expect(refusal).toBeInstanceOf(ValidationError);
    expect(refusal).toMatchObject({
      fields: {
        prcie: 'is not a column of the catalog',
        name: 'appears twice in the header',
        price: 'is a required column and missing from the header',
      },
    });
  });

  it('refuses an empty file and one over the row limit', () => {
    const refusalOf = (text: string) => {
      try {
        return parseProductCsv(text);
      } catch (error) {
        return error;
      }
    };
    expect(refusalOf('')).toMatchObject({ fields: { header: 'the file is empty' } });
    const many = Array.from({ length: maxImportRows + 1 }, (_, i) => `S-${i},Item,books,1,,,,,`);
    expect(refusalOf(csv(...many))).toMatchObject({
      fields: { body: expect.stringContaining(`at most ${maxImportRows}`) },
    });
  });
});

describe('reading a catalog as JSON', () => {
  it('reports bad elements by index and field, misspelt fields by name, and keeps the good ones', () => {
    const { rows, problems } = parseProductJson([
      { sku: 'A-1', name: 'Good', category: 'books', price: 10 },
      { sku: 'B-2', name: 'Bad', category: 'books', price: -1 },
      { sku: 'C-3', name: 'Snake', category: 'books', price: 1, replacement_cycle_days: 30 },
      'not a product',
    ]);
    expect(rows).toEqual([
      { index: 0, product: { sku: 'A-1', name: 'Good', category: 'books', price: 10, currency: 'EUR' } },
    ]);
    expect(problems).toEqual([
      { index: 1, sku: 'B-2', field: 'price', message: expect.any(String) },
      { index: 2, sku: 'C-3', field: 'replacement_cycle_days', message: 'is not a product field' },
      { index: 3, field: 'row', message: expect.any(String) },
    ]);
  });

  it('refuses a body that is not an array', () => {
    expect(() => parseProductJson({ sku: 'A-1' })).toThrow(ValidationError);
  });
});

describe('when a product links somewhere that is not a web page', () => {
  it('refuses javascript: and data: links and images in a CSV, naming line and field', () => {
    const { rows, problems } = parseProductCsv(
      csv(
        'A-1,Good,books,10,,,,https://shop.example.com/a,http://img.example.com/a.png',
        'B-2,Script,books,10,,,,javascript:alert(1),',
        'C-3,Data,books,10,,,,,"data:image/svg+xml;base64,PHN2Zz4="',
      ),
    );
    expect(rows.map((row) => row.product.sku)).toEqual(['A-1']);
    expect(problems).toEqual([
      { line: 3, sku: 'B-2', field: 'url', message: 'must be an http or https URL' },
      { line: 4, sku: 'C-3', field: 'image', message: 'must be an http or https URL' },
    ]);
  });

  it('refuses them in JSON too', () => {
    const { problems } = parseProductJson([
      { sku: 'B-2', name: 'Script', category: 'books', price: 1, url: 'javascript:alert(1)' },
    ]);
    expect(problems).toEqual([
      { index: 0, sku: 'B-2', field: 'url', message: 'must be an http or https URL' },
    ]);
  });
});

describe('when categories are paths', () => {
  it('keeps the whole path of each row, from a CSV and from JSON', () => {
    const fromCsv = parseProductCsv(
      csv('CRIME-1,The Long Night,books/crime,14.50,,,,,', 'COPIER-1,Copier,office/copiers,890,,1460,,,'),
    );
    expect(fromCsv.problems).toEqual([]);
    expect(fromCsv.rows.map((row) => row.product.category)).toEqual(['books/crime', 'office/copiers']);

    const fromJson = parseProductJson([
      { sku: 'COOK-1', name: 'Bread at Home', category: 'books/cooking', price: 23 },
    ]);
    expect(fromJson.problems).toEqual([]);
    expect(fromJson.rows.map((row) => row.product.category)).toEqual(['books/cooking']);
  });

  it('refuses a malformed path in a CSV, naming the line and the category column, and keeps the good rows', () => {
    const { rows, problems } = parseProductCsv(
      csv(
        'CRIME-1,The Long Night,books/crime,14.50,,,,,',
        'CRIME-2,A Quiet Street,books//crime,12.90,,,,,',
        'CRIME-3,Harbour Lights,books / crime,16,,,,,',
        'CRIME-4,The Ninth Witness,books/crime/,18.50,,,,,',
      ),
    );
    expect(rows.map((row) => row.product.sku)).toEqual(['CRIME-1']);
    expect(problems).toEqual([
      { line: 3, sku: 'CRIME-2', field: 'category', message: expect.stringContaining('an empty level') },
      { line: 4, sku: 'CRIME-3', field: 'category', message: expect.stringContaining('with a space') },
      {
        line: 5,
        sku: 'CRIME-4',
        field: 'category',
        message: expect.stringContaining('start or end with "/"'),
      },
    ]);
  });

  it('refuses a malformed path in JSON, naming the index and the field', () => {
    const { rows, problems } = parseProductJson([
      { sku: 'COOK-1', name: 'Bread at Home', category: 'books/cooking', price: 23 },
      { sku: 'COOK-2', name: 'One Pan Suppers', category: '/books/cooking', price: 18 },
    ]);
    expect(rows.map((row) => row.product.sku)).toEqual(['COOK-1']);
    expect(problems).toEqual([
      {
        index: 1,
        sku: 'COOK-2',
        field: 'category',
        message: expect.stringContaining('start or end with "/"'),
      },
    ]);
  });
});
