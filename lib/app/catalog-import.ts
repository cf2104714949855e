import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { ProductInput } from '../domain/catalog.js';
import type { ImportProblem } from '../domain/catalog-answers.js';
import { ValidationError } from '../domain/errors.js';

/**
 * Reading a catalog import: a CSV file or a JSON array of products. Nothing is
 * all-or-nothing: every bad row is reported with where it is and which field is
 * wrong, and every good row is kept.
 */

export interface ImportRow {
  line?: number;
  index?: number;
  product: ProductInput;
}

export interface ParsedImport {
  rows: ImportRow[];
  problems: ImportProblem[];
}

/** One request stores every row it accepts before it answers; larger catalogs go in several files. */
export const maxImportRows = 1_000;

/**
 * A product's fields at their longest (a 64-character sku, a 300-character name, a
 * 100-character category, two 2,048-character links) come to under 5 KiB; a longer row
 * is reported on its line instead of being read field by field. The file itself is
 * bounded by the request body (`maxRequestBodyBytes`), before it is parsed.
 */
export const maxImportRowBytes = 8 * 1024;

/** The CSV columns, and the product field each fills. */
const csvColumns = {
  sku: 'sku',
  name: 'name',
  category: 'category',
  price: 'price',
  currency: 'currency',
  replacement_cycle_days: 'replacementCycleDays',
  published_at: 'publishedAt',
  url: 'url',
  image: 'image',
} as const satisfies Record<string, keyof ProductInput>;
type CsvColumn = keyof typeof csvColumns;
const requiredColumns: readonly CsvColumn[] = ['sku', 'name', 'category', 'price'];

const isCsvColumn = (name: string): name is CsvColumn => Object.hasOwn(csvColumns, name);

const columnOf = (field: string): string =>
  Object.entries(csvColumns).find(([, property]) => property === field)?.[0] ?? field;

const tooMany = (count: number): ValidationError =>
  new ValidationError(
    { body: `has ${count} products; one import takes at most ${maxImportRows}, so split it` },
    'the import is too large; nothing was stored',
  );

/** What csv-parse returns with `info` and `raw` on; its typings describe only the plain form. */
const ParsedRecords = z.array(
  z.object({ record: z.array(z.string()), raw: z.string(), info: z.object({ lines: z.number() }) }),
);

interface CsvRecord {
  line: number;
  fields: string[];
  /** The record as written, quotes and line breaks inside it included. */
  bytes: number;
}

/**
 * Records with the line each starts on. A quote that is never closed swallows
 * the rest of the file; it is reported on its line and reading starts again on
 * the next one, so the rows after it are not lost.
 */
const readCsv = (text: string, firstLine: number, problems: ImportProblem[]): CsvRecord[] => {
  let unclosed: { raw: string } | undefined;
  const parsed = ParsedRecords.parse(
    parse(text, {
      bom: true,
      info: true,
      raw: true,
      // A stray quote inside a value (`5" screen`) is kept as text rather than ending the file.
      relax_quotes: true,
      // A row with too few or too many fields is reported by the caller with its line, not thrown.
      relax_column_count: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
      on_skip: (error, raw) => {
        if (error?.code === 'CSV_QUOTE_NOT_CLOSED') unclosed = { raw: raw ?? '' };
        else
          problems.push({
            line: firstLine - 1 + (typeof error?.lines === 'number' ? error.lines : 1),
            field: 'row',
            message: error?.message ?? 'cannot be read',
          });
        return undefined;
      },
    }),
  );
  let lastLine = firstLine - 1;
  const records = parsed.map(({ record, raw, info }) => {
    const endLine = firstLine - 1 + info.lines;
    // `raw` carries the blank lines skipped before the record and its own line break.
    const inner = raw.replace(/^\n+/, '').replace(/\n$/, '');
    lastLine = endLine;
    return {
      line: endLine - (inner.match(/\n/g)?.length ?? 0),
      fields: record,
      bytes: Buffer.byteLength(inner),
    };
  });
  if (unclosed === undefined) return records;
  const skippedBlank = unclosed.raw.match(/^\n*/)?.[0].length ?? 0;
  const line = lastLine + 1 + skippedBlank;
  problems.push({ line, field: 'row', message: 'a quote opened on this line is never closed' });
  const rest = text
    .split('\n')
    .slice(line - firstLine + 1)
    .join('\n');
  return [...records, ...readCsv(rest, line + 1, problems)];
};

const headerOf = (record: CsvRecord | undefined): CsvColumn[] => {
  if (record === undefined) throw new ValidationError({ header: 'the file is empty' });
  const names = record.fields.map((field) => field.trim().toLowerCase());
  const fields: Record<string, string> = {};
  for (const [position, name] of names.entries()) {
    if (!isCsvColumn(name)) fields[name || `column ${position + 1}`] = 'is not a column of the catalog';
    else if (names.indexOf(name) !== position) fields[name] = 'appears twice in the header';
  }
  for (const name of requiredColumns) {
    if (!names.includes(name)) fields[name] = 'is a required column and missing from the header';
  }
  if (Object.keys(fields).length > 0) {
    throw new ValidationError(
      fields,
      `the header must be ${Object.keys(csvColumns).join(',')} (sku, name, category and price required); nothing was stored`,
    );
  }
  return names.filter(isCsvColumn);
};

const decimal = /^\d+(\.\d+)?$/;
const wholeNumber = /^\d+$/;

/** A CSV row as the product input it describes, or the problems with its fields. */
const productFromRow = (
  header: readonly CsvColumn[],
  { line, fields, bytes }: CsvRecord,
): { product: ProductInput } | { problems: ImportProblem[] } => {
  const values = new Map(header.map((column, position) => [column, fields[position]?.trim() ?? '']));
  const sku = values.get('sku') || undefined;
  const at = { line, ...(sku === undefined ? {} : { sku }) };
  if (bytes > maxImportRowBytes) {
    return {
      problems: [
        {
          ...at,
          field: 'row',
          message: `is ${Math.ceil(bytes / 1024)} KiB; a row may be at most ${maxImportRowBytes / 1024} KiB`,
        },
      ],
    };
  }
  if (fields.length !== header.length) {
    return {
      problems: [
        { ...at, field: 'row', message: `has ${fields.length} fields; the header has ${header.length}` },
      ],
    };
  }
  const problems: ImportProblem[] = [];
  const input: Record<string, unknown> = {};
  for (const [column, value] of values) {
    if (value === '') continue;
    if (column === 'price' && !decimal.test(value))
      problems.push({ ...at, field: column, message: `"${value}" is not a price such as 19.90` });
    else if (column === 'replacement_cycle_days' && !wholeNumber.test(value))
      problems.push({ ...at, field: column, message: `"${value}" is not a whole number of days` });
    else
      input[csvColumns[column]] =
        column === 'price' || column === 'replacement_cycle_days' ? Number(value) : value;
  }
  const parsed = ProductInput.safeParse(input);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = columnOf(String(issue.path[0] ?? 'row'));
      // A number refused above is not missing as well.
      if (!problems.some((problem) => problem.field === field))
        problems.push({ ...at, field, message: issue.message });
    }
  }
  return problems.length > 0 || !parsed.success ? { problems } : { product: parsed.data };
};

/** Later rows for a sku already read are reported; the first one stands. */
const withoutRepeats = (parsed: ParsedImport): ParsedImport => {
  const first = new Map<string, ImportRow>();
  const problems = [...parsed.problems];
  for (const row of parsed.rows) {
    const earlier = first.get(row.product.sku);
    if (earlier === undefined) first.set(row.product.sku, row);
    else
      problems.push({
        ...(row.line === undefined ? {} : { line: row.line }),
        ...(row.index === undefined ? {} : { index: row.index }),
        sku: row.product.sku,
        field: 'sku',
        message: `appears again; the first row for it (${earlier.line === undefined ? `index ${earlier.index}` : `line ${earlier.line}`}) is the one stored`,
      });
  }
  return { rows: [...first.values()], problems };
};

const byPosition = (a: ImportProblem, b: ImportProblem): number =>
  (a.line ?? a.index ?? 0) - (b.line ?? b.index ?? 0);

/** Header `sku,name,category,price,currency,replacement_cycle_days,published_at,url,image`; blank cells are absent. */
export const parseProductCsv = (text: string): ParsedImport => {
  const problems: ImportProblem[] = [];
  // One line-break form, so line numbers count the same whatever the file was saved with.
  const [head, ...body] = readCsv(text.replace(/\r\n?/g, '\n'), 1, problems);
  const header = headerOf(head);
  const records = body.filter((record) => record.fields.some((field) => field.trim() !== ''));
  if (records.length > maxImportRows) throw tooMany(records.length);
  const rows: ImportRow[] = [];
  for (const record of records) {
    const result = productFromRow(header, record);
    if ('product' in result) rows.push({ line: record.line, product: result.product });
    else problems.push(...result.problems);
  }
  const checked = withoutRepeats({ rows, problems });
  return { rows: checked.rows, problems: checked.problems.sort(byPosition) };
};

/** A JSON array of products, in the admin API's field names. */
export const parseProductJson = (body: unknown): ParsedImport => {
  if (!Array.isArray(body)) throw new ValidationError({ body: 'must be a JSON array of products' });
  if (body.length > maxImportRows) throw tooMany(body.length);
  const rows: ImportRow[] = [];
  const problems: ImportProblem[] = [];
  for (const [index, element] of body.entries()) {
    const parsed = ProductInput.safeParse(element);
    if (parsed.success) {
      rows.push({ index, product: parsed.data });
      continue;
    }
    const sku: unknown = Object.getOwnPropertyDescriptor(element ?? {}, 'sku')?.value;
    const at = { index, ...(typeof sku === 'string' ? { sku } : {}) };
    for (const issue of parsed.error.issues) {
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) problems.push({ ...at, field: key, message: 'is not a product field' });
      } else {
        problems.push({ ...at, field: issue.path.map(String).join('.') || 'row', message: issue.message });
      }
    }
  }
  return withoutRepeats({ rows, problems });
};
