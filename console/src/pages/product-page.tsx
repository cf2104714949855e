import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link, useParams } from 'react-router';
import {
  ProductDetails,
  ProductJobs,
  PublishedProduct,
  PutProductResult,
} from '../../../lib/domain/catalog-answers.js';
import { AdminApiError, adminApi } from '../admin-api.js';
import { useMay } from '../caller.js';
import {
  fanOutProgress,
  fanOutRunning,
  type ProductFormValues,
  productBody,
  productFormValues,
} from '../product-form.js';
import { QueryState, when } from '../query-state.js';

const fields: readonly { key: keyof ProductFormValues; label: string; hint?: string; type?: string }[] = [
  { key: 'name', label: 'Name' },
  { key: 'category', label: 'Category', hint: 'A path, department first, such as books/crime.' },
  { key: 'price', label: 'Price', hint: 'In the currency below, such as 19.90.' },
  { key: 'currency', label: 'Currency', hint: 'An ISO 4217 code such as EUR.' },
  {
    key: 'replacementCycleDays',
    label: 'Replacement cycle in days',
    hint: 'How long it lasts; purchases get a replacement due date from it. Blank: none.',
  },
  { key: 'url', label: 'Link', type: 'url' },
  { key: 'image', label: 'Image', type: 'url' },
];

/** The product's fields; a marketer saves them as the whole product (blank optional fields are removed). */
const ProductForm = ({ details, mayChange }: { details: ProductDetails; mayChange: boolean }) => {
  const queries = useQueryClient();
  const sku = details.product.sku;
  const [values, setValues] = useState(() => productFormValues(details.product));
  const save = useMutation({
    mutationFn: () =>
      adminApi(PutProductResult, 'PUT', `/admin/products/${encodeURIComponent(sku)}`, productBody(values)),
    onSuccess: (saved) => {
      queries.setQueryData(['product', sku], { product: saved.product, version: saved.version });
      return queries.invalidateQueries({ queryKey: ['products'] });
    },
  });
  const refused = save.error instanceof AdminApiError ? save.error.fields : {};
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  return (
    <form onSubmit={submit} className="product-form" aria-labelledby="fields-heading">
      <h2 id="fields-heading">Fields</h2>
      <fieldset disabled={!mayChange || save.isPending}>
        <legend className="muted">
          {mayChange ? 'Change and save' : 'Your role may read the product, not change it'}
        </legend>
        {fields.map((field) => {
          const id = `product-${field.key}`;
          const problem = refused[field.key];
          const described = [
            field.hint === undefined ? '' : `${id}-hint`,
            problem === undefined ? '' : `${id}-problem`,
          ]
            .filter((part) => part !== '')
            .join(' ');
          return (
            <div className="field" key={field.key}>
              <label htmlFor={id}>{field.label}</label>
              <input
                id={id}
                type={field.type ?? 'text'}
                value={values[field.key]}
                aria-invalid={problem === undefined ? undefined : true}
                aria-describedby={described === '' ? undefined : described}
                onChange={(event) => setValues({ ...values, [field.key]: event.target.value })}
              />
              {field.hint === undefined ? null : (
                <span id={`${id}-hint`} className="muted">
                  {field.hint}
                </span>
              )}
              {problem === undefined ? null : (
                <span id={`${id}-problem`} className="problem">
                  {field.label} {problem}
                </span>
              )}
            </div>
          );
        })}
      </fieldset>
      {mayChange ? <button type="submit">{save.isPending ? 'Saving…' : 'Save'}</button> : null}
      {save.isError ? (
        <p role="alert" className="problem">
          Not saved: {save.error.message}
        </p>
      ) : null}
      {save.isSuccess ? <p role="status">Saved as version {save.data.version}.</p> : null}
    </form>
  );
};

/** The product's launches: publish (behind a confirmation) and each fan-out's progress, followed while it runs. */
const Launches = ({ details, mayPublish }: { details: ProductDetails; mayPublish: boolean }) => {
  const queries = useQueryClient();
  const sku = details.product.sku;
  const path = `/admin/products/${encodeURIComponent(sku)}`;
  const jobs = useQuery({
    queryKey: ['product-jobs', sku],
    queryFn: () => adminApi(ProductJobs, 'GET', `${path}/jobs`),
    // The fan-out runs as a job: look again every two seconds until it is done, also after leaving and coming back.
    refetchInterval: (query) =>
      query.state.data !== undefined && fanOutRunning(query.state.data.jobs) ? 2_000 : false,
  });
  const publish = useMutation({
    mutationFn: () => adminApi(PublishedProduct, 'POST', `${path}/publish`, {}),
    onSuccess: (published) => {
      queries.setQueryData(['product', sku], { product: published.product, version: published.version });
      return Promise.all([
        queries.invalidateQueries({ queryKey: ['product-jobs', sku] }),
        queries.invalidateQueries({ queryKey: ['products'] }),
      ]);
    },
  });
  const running = jobs.data !== undefined && fanOutRunning(jobs.data.jobs);
  return (
    <section aria-labelledby="launch-heading">
      <h2 id="launch-heading">Launch</h2>
      <p>
        {details.product.publishedAt === undefined
          ? 'Not published yet.'
          : `Published ${when(details.product.publishedAt)}.`}{' '}
        Publishing tells every contact who has bought in “{details.product.category}” or a level above it.
      </p>
      {mayPublish ? (
        <button
          type="button"
          disabled={publish.isPending || running}
          onClick={() => {
            if (
              window.confirm(
                `Publish “${details.product.name}” and tell every contact who buys in ${details.product.category}?`,
              )
            )
              publish.mutate();
          }}
        >
          {publish.isPending ? 'Publishing…' : 'Publish'}
        </button>
      ) : null}
      {publish.isError ? (
        <p role="alert" className="problem">
          Not published: {publish.error.message}
        </p>
      ) : null}
      <QueryState query={jobs} what="the fan-outs">
        {({ jobs: list }) =>
          list.length === 0 ? null : (
            <>
              <h3>Fan-out progress</h3>
              <ul className="progress" aria-live="polite">
                {list.map((job) => (
                  <li key={job.id}>
                    <span className={`status status-${job.status}`}>{job.status}</span> {fanOutProgress(job)}
                    <span className="muted"> (started {when(job.createdAt)})</span>
                  </li>
                ))}
              </ul>
            </>
          )
        }
      </QueryState>
    </section>
  );
};

/** A product: its fields to edit, and its launch with the fan-out's progress. */
export const ProductPage = () => {
  const sku = useParams().sku ?? '';
  const product = useQuery({
    queryKey: ['product', sku],
    queryFn: () => adminApi(ProductDetails, 'GET', `/admin/products/${encodeURIComponent(sku)}`),
  });
  const mayChange = useMay('marketer');
  return (
    <QueryState query={product} what="the product">
      {(details) => (
        <>
          <p>
            <Link to="/catalog">Catalog</Link>
          </p>
          <h1>{details.product.name}</h1>
          <dl className="facts">
            <dt>SKU</dt>
            <dd>{details.product.sku}</dd>
            <dt>Version</dt>
            <dd>
              v{details.version}, changed {when(details.product.updatedAt)}
            </dd>
            <dt>Added</dt>
            <dd>{when(details.product.createdAt)}</dd>
          </dl>
          <ProductForm details={details} mayChange={mayChange} />
          <Launches details={details} mayPublish={mayChange} />
        </>
      )}
    </QueryState>
  );
};
