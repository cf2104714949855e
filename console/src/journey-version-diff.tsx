import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { stringify } from 'yaml';
import type { JourneyDetails } from '../../lib/domain/journey-answers.js';
import { PublishedJourney } from '../../lib/domain/journey-definition.js';
import { adminApi } from './admin-api.js';
import { lineDiff } from './journey-diff.js';
import { TableScroll } from './table-scroll.js';

const yamlOf = (definition: unknown): string => stringify(definition, { lineWidth: 0 });

/** `draft`, or a published version's number. */
type Side = 'draft' | number;

const label = (side: Side): string => (side === 'draft' ? 'the draft' : `v${side}`);

/** The YAML of one side: the saved draft from the journey, a version from its own route. */
const useSide = (path: string, details: JourneyDetails, side: Side) =>
  useQuery({
    queryKey: ['journey-version', path, side],
    queryFn: async () =>
      side === 'draft'
        ? yamlOf(details.draft?.definition ?? {})
        : yamlOf((await adminApi(PublishedJourney, 'GET', `${path}/versions/${side}`)).definition),
    staleTime: Infinity,
  });

/**
 * What changed between any two of the journey's versions (or a version and the
 * saved draft), line by line in their YAML.
 */
export const JourneyVersionDiff = ({
  path,
  details,
  versions,
}: {
  path: string;
  details: JourneyDetails;
  versions: readonly number[];
}) => {
  const ids = useId();
  const sides: Side[] = [...versions, ...(details.draft === null ? [] : ['draft' as const])];
  const newest = sides.at(-1);
  const [from, setFrom] = useState<Side | undefined>(sides.at(-2) ?? newest);
  const [to, setTo] = useState<Side | undefined>(newest);
  const before = useSide(path, details, from ?? 'draft');
  const after = useSide(path, details, to ?? 'draft');
  if (from === undefined || to === undefined || sides.length < 2)
    return <p>A comparison needs two versions, or a version and a saved draft.</p>;
  const sideOf = (value: string): Side => (value === 'draft' ? 'draft' : Number(value));
  const choose = (id: string, text: string, value: Side, change: (side: Side) => void) => (
    <>
      <label htmlFor={id}>{text}</label>
      <select id={id} value={String(value)} onChange={(event) => change(sideOf(event.target.value))}>
        {sides.map((side) => (
          <option key={String(side)} value={String(side)}>
            {label(side)}
          </option>
        ))}
      </select>
    </>
  );
  return (
    <>
      <fieldset className="compare">
        <legend>Compare two versions</legend>
        {choose(`${ids}-from`, 'From', from, setFrom)}
        {choose(`${ids}-to`, 'To', to, setTo)}
      </fieldset>
      {before.data === undefined || after.data === undefined ? (
        <p aria-live="polite">Reading the versions…</p>
      ) : (
        <TableScroll label={`Changes from ${label(from)} to ${label(to)}`}>
          <pre className="journey-diff">
            {lineDiff(before.data, after.data).map((line, index) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: the diff is drawn once, in order.
              <span key={index} className={`diff-${line.kind}`}>
                {line.kind === 'added' ? '+ ' : line.kind === 'removed' ? '- ' : '  '}
                {line.text}
                {'\n'}
              </span>
            ))}
          </pre>
        </TableScroll>
      )}
    </>
  );
};
