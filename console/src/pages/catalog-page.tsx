import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { ImportResult, ProductPage } from '../../../lib/domain/catalog-answers.js';
import { AdminApiError, adminApi } from '../admin-api.js';
import { useMay } from '../caller.js';
import { count, when } from '../query-state.js';
import { TableScroll } from '../table-scroll.js';

const pageSize = 50;

/** The catalog, a page at a time; with a search, only the products whose sku, name or category contain it. */
const ProductList = ({ q }: { q: string }) => {
  const products = useInfiniteQuery({
    queryKey: ['products', q],
    queryFn: ({ pageParam }) =>
      adminApi(
        ProductPage,
        'GET',
        `/admin/products?${new URLSearchParams({
          limit: String(pageSize),
          ...(q === '' ? {} : { q }),
          ...(pageParam === '' ? {} : { after: pageParam }),
        }).toString()}`,
      ),
    // The first page starts at the catalog's start; each next one after the last sku read.
    initialPageParam: '',
    getNextPageParam: (last) => last.next,
  });
  if (products.data === undefined)
    return products.error === null ? (
      <p aria-live="polite">Loading the catalog…</p>
    ) : (
      <p role="alert" className="problem">
        Could not load the catalog: {products.error.message}
      </p>
    );
  const list = products.data.pages.flatMap((page) => page.products);
  return (
    <>
      {list.length === 0 && !products.hasNextPage ? (
        <p>{q === '' ? 'The catalog is empty: import a CSV file below.' : 'No product matches.'}</p>
      ) : (
        <TableScroll label="Products">
          <table>
            <caption>
              {count(list.length)} product{list.length === 1 ? '' : 's'}
              {q === '' ? '' : ` matching “${q}”`}
              {products.hasNextPage ? ' so far' : ''}
            </caption>
            <thead>
              <tr>
                <th scope="col">SKU</th>
                <th scope="col">Name</th>
                <th scope="col">Category</th>
                <th scope="col">Price</th>
                <th scope="col">Published</th>
              </tr>
            </thead>
            <tbody>
              {list.map((product) => (
                <tr key={product.sku}>
                  <th scope="row">
                    <Link to={`/catalog/${encodeURIComponent(product.sku)}`}>{product.sku}</Link>
                  </th>
                  <td>{product.name}</td>
                  <td>{product.category}</td>
                  <td className="number">
                    {product.price.toLocaleString('en-US', { minimumFractionDigits: 2 })} {product.currency}
                  </td>
                  <td>{when(product.publishedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      {products.hasNextPage ? (
        <button type="button" onClick={() => products.fetchNextPage()} disabled={products.isFetchingNextPage}>
          {products.isFetchingNextPage ? 'Loading…' : q === '' ? 'Show more' : 'Search further'}
        </button>
      ) : null}
      {products.isFetchNextPageError ? (
        <p role="alert" className="problem">
          Could not load more: {products.error?.message}
        </p>
      ) : null}
    </>
  );
};

/** Where a problem is: the CSV line, or the position in a JSON array. */
const rowOf = (problem: ImportResult['problems'][number]): string =>
  problem.line === undefined
    ? problem.index === undefined
      ? '–'
      : `#${problem.index}`
    : String(problem.line);

const ImportAnswer = ({ result }: { result: ImportResult }) => (
  <section aria-live="polite" aria-labelledby="import-result">
    <h3 id="import-result">Imported</h3>
    <p className="count-result">
      {count(result.created + result.replaced)} of {count(result.received)}{' '}
      {result.received === 1 ? 'row' : 'rows'} accepted: {count(result.created)} new, {count(result.replaced)}{' '}
      replaced
    </p>
    {result.problems.length === 0 ? (
      <p>Every row was accepted.</p>
    ) : (
      <TableScroll label="Rows not imported">
        <table>
          <caption>
            {count(result.problems.length)} {result.problems.length === 1 ? 'problem' : 'problems'}: those
            rows were not stored
          </caption>
          <thead>
            <tr>
              <th scope="col">Row</th>
              <th scope="col">SKU</th>
              <th scope="col">Field</th>
              <th scope="col">Problem</th>
            </tr>
          </thead>
          <tbody>
            {result.problems.map((problem) => (
              // A row may have several problems, one per field.
              <tr key={`${rowOf(problem)}-${problem.field}-${problem.message}`}>
                <td className="number">{rowOf(problem)}</td>
                <td>{problem.sku ?? '–'}</td>
                <td>{problem.field}</td>
                <td>{problem.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
    )}
  </section>
);

/** A CSV file, or the same text pasted: posted as `text/csv`; every good row is stored, every bad one shown. */
const ImportForm = () => {
  const queries = useQueryClient();
  const [file, setFile] = useState<File | undefined>();
  const [pasted, setPasted] = useState('');
  const upload = useMutation({
    mutationFn: async () => {
      const text = file === undefined ? pasted : await file.text();
      return adminApi(ImportResult, 'POST', '/admin/products/import', new Blob([text], { type: 'text/csv' }));
    },
    onSuccess: () => queries.invalidateQueries({ queryKey: ['products'] }),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    upload.mutate();
  };
  const nothing = file === undefined && pasted.trim() === '';
  return (
    <section aria-labelledby="import-heading">
      <h2 id="import-heading">Import a CSV file</h2>
      <p className="muted" id="import-format">
        The header is{' '}
        <code>sku,name,category,price,currency,replacement_cycle_days,published_at,url,image</code> (sku,
        name, category and price required, in any order). Up to 1,000 rows: every good row is stored, and
        every bad one is listed here.
      </p>
      <form onSubmit={submit} className="import" aria-describedby="import-format">
        <label htmlFor="import-file">CSV file</label>
        <input
          id="import-file"
          type="file"
          accept=".csv,text/csv"
          onChange={(event) => setFile(event.target.files?.[0])}
        />
        <label htmlFor="import-text">Or paste the CSV text</label>
        <textarea
          id="import-text"
          rows={6}
          value={pasted}
          disabled={file !== undefined}
          onChange={(event) => setPasted(event.target.value)}
        />
        <button type="submit" disabled={nothing || upload.isPending}>
          {upload.isPending ? 'Importing…' : 'Import'}
        </button>
      </form>
      {upload.isError ? (
        <div role="alert" className="problem">
          <p>Nothing was imported: {upload.error.message}</p>
          {upload.error instanceof AdminApiError && Object.keys(upload.error.fields).length > 0 ? (
            <ul>
              {Object.entries(upload.error.fields).map(([field, problem]) => (
                <li key={field}>
                  {field}: {problem}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      {upload.data === undefined ? null : <ImportAnswer result={upload.data} />}
    </section>
  );
};

/** The catalog: search it by sku, name or category, open a product, import a CSV file. */
export const CatalogPage = () => {
  const [search, setSearch] = useSearchParams();
  const q = search.get('q') ?? '';
  const [typed, setTyped] = useState(q);
  const mayImport = useMay('marketer');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSearch(typed.trim() === '' ? {} : { q: typed.trim() });
  };
  return (
    <>
      <h1>Catalog</h1>
      <search>
        <form onSubmit={submit} className="search">
          <label htmlFor="product-search">SKU, name or category contains</label>
          <input
            id="product-search"
            type="search"
            value={typed}
            onChange={(event) => setTyped(event.target.value)}
          />
          <button type="submit">Search</button>
        </form>
      </search>
      <ProductList q={q} />
      {mayImport ? <ImportForm /> : null}
    </>
  );
};
