import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { percentText } from '../../lib/domain/reputation.js';

/** What a page shows while its answer loads, or when it failed; the answer itself otherwise. */
export const QueryState = <T,>({
  query,
  what,
  children,
}: {
  query: UseQueryResult<T>;
  what: string;
  children: (data: T) => ReactNode;
}) => {
  if (query.isPending) return <p aria-live="polite">Loading {what}…</p>;
  if (query.isError)
    return (
      <p role="alert" className="problem">
        Could not load {what}: {query.error.message}
      </p>
    );
  return <>{children(query.data)}</>;
};

/** A number as people read it here (1,234). */
export const count = (value: number): string => value.toLocaleString('en-US');

/** A bounce or complaint rate as people read it (0.12 %), or a dash when nothing was sent. */
export const rateText = (value: number | null): string => (value === null ? '–' : percentText(value));

/** An ISO time as a short local date and time, or a dash. */
export const when = (iso: string | undefined | null): string =>
  iso === undefined || iso === null
    ? '–'
    : new Date(iso).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' });
