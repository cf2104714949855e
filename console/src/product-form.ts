import type { JourneyJob } from '../../lib/domain/journey-job.js';
import type { Product } from '../../lib/domain/product.js';

/** The editable fields of a product as the form holds them: text, blank for absent. */
export interface ProductFormValues {
  name: string;
  category: string;
  price: string;
  currency: string;
  replacementCycleDays: string;
  url: string;
  image: string;
}

export const productFormValues = (product: Product): ProductFormValues => ({
  name: product.name,
  category: product.category,
  price: String(product.price),
  currency: product.currency,
  replacementCycleDays:
    product.replacementCycleDays === undefined ? '' : String(product.replacementCycleDays),
  url: product.url ?? '',
  image: product.image ?? '',
});

/** A number as typed, or the text itself when it is none, so the API names the field and the problem. */
const numberOrText = (text: string): number | string => {
  const trimmed = text.trim();
  return trimmed !== '' && Number.isFinite(Number(trimmed)) ? Number(trimmed) : trimmed;
};

/**
 * The `PUT /admin/products/{sku}` body: a blank optional field is left out
 * (the product no longer has it); `publishedAt` is left out, so the launch
 * date stays as it is. The API checks every field and names the bad ones.
 */
export const productBody = (values: ProductFormValues): Record<string, string | number> => {
  const optional = (key: 'replacementCycleDays' | 'url' | 'image', value: string | number) =>
    value === '' ? {} : { [key]: value };
  return {
    name: values.name.trim(),
    category: values.category.trim(),
    price: numberOrText(values.price),
    ...(values.currency.trim() === '' ? {} : { currency: values.currency.trim().toUpperCase() }),
    ...optional('replacementCycleDays', numberOrText(values.replacementCycleDays)),
    ...optional('url', values.url.trim()),
    ...optional('image', values.image.trim()),
  };
};

/** The fan-out's progress in words: contacts looked at, and the events written to those who buy in the category. */
export const fanOutProgress = (job: JourneyJob): string => {
  const seen = job.counts.seen.toLocaleString('en-US');
  const told = job.counts.changed.toLocaleString('en-US');
  const contacts = `${seen} ${job.counts.seen === 1 ? 'contact' : 'contacts'}`;
  const events = `${told} ${job.counts.changed === 1 ? 'buyer' : 'buyers'} in the category told`;
  // The job's status is shown beside this, so the words say only what it did.
  if (job.status === 'failed')
    return `stopped after ${contacts} looked at: ${job.error ?? 'no reason given'}`;
  if (job.status === 'done') return `${contacts} looked at, ${events}`;
  return `${contacts} looked at so far, ${events}`;
};

/** Whether a fan-out is still running, so its progress is worth asking for again. */
export const fanOutRunning = (jobs: readonly JourneyJob[]): boolean =>
  jobs.some((job) => job.status === 'pending');
