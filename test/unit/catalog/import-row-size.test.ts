import { describe, expect, it } from 'vitest';
import { maxImportRowBytes, parseProductCsv } from '../../../lib/app/catalog-import.js';
import { maxWebUrlLength } from '../../../lib/domain/product.js';

const header = 'sku,name,category,price,url';

describe('when a catalog file has a row longer than a product can be', () => {
  it('reports that row on its line and keeps the rows around it', () => {
    const long = `B-2,"${'Very long name '.repeat(700)}",books,9.90,`;
    const parsed = parseProductCsv(`${header}\nA-1,First,books,9.90,\n${long}\nC-3,Third,books,9.90,\n`);

    expect(Buffer.byteLength(long)).toBeGreaterThan(maxImportRowBytes);
    expect(parsed.rows.map((row) => row.product.sku)).toEqual(['A-1', 'C-3']);
    expect(parsed.problems).toEqual([
      {
        line: 3,
        sku: 'B-2',
        field: 'row',
        message: `is 11 KiB; a row may be at most ${maxImportRowBytes / 1024} KiB`,
      },
    ]);
  });

  it('takes a row with every field at its longest', () => {
    const url = `https://shop.example.com/${'p'.repeat(maxWebUrlLength - 25)}`;
    const row = `${'S'.repeat(64)},${'N'.repeat(300)},${'c'.repeat(100)},9.90,${url}`;

    expect(parseProductCsv(`${header}\n${row}\n`).problems).toEqual([]);
  });

  it('names a link longer than a mail client follows', () => {
    const url = `https://shop.example.com/${'p'.repeat(maxWebUrlLength)}`;

    expect(parseProductCsv(`${header}\nA-1,First,books,9.90,${url}\n`).problems).toEqual([
      { line: 2, sku: 'A-1', field: 'url', message: `must be at most ${maxWebUrlLength} characters` },
    ]);
  });
});
