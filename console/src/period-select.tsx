import { useId } from 'react';

/** The periods a report page offers, in days. */
export const periods = [7, 30, 90] as const;
export type Period = (typeof periods)[number];

/** "Period: the last N days", for the pages that report by day. */
export const PeriodSelect = ({ days, onChange }: { days: Period; onChange: (days: Period) => void }) => {
  const id = useId();
  return (
    <p className="overview-period">
      <label htmlFor={id}>Period</label>{' '}
      <select
        id={id}
        value={days}
        onChange={(event) => {
          const chosen = periods.find((period) => String(period) === event.target.value);
          if (chosen !== undefined) onChange(chosen);
        }}
      >
        {periods.map((period) => (
          <option key={period} value={period}>
            the last {period} days
          </option>
        ))}
      </select>
    </p>
  );
};
