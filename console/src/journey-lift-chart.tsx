import type { JourneyReportAnswer } from '../../lib/domain/journey-answers.js';

const percent = (value: number | null): string => (value === null ? '–' : `${(value * 100).toFixed(1)} %`);

const width = 320;
const height = 64;
const margin = 16;

/**
 * The absolute lift (treatment rate − control rate) as a dot on its interval,
 * against the zero line: an interval that crosses zero is not significant.
 */
export const LiftChart = ({ report }: { report: JourneyReportAnswer }) => {
  const { lift, confidence } = report.holdout;
  const interval = lift.interval;
  if (lift.absolute === null || interval === null)
    return <p>No lift yet: a group has no members in this period.</p>;
  const low = Math.min(interval.lower, 0, lift.absolute);
  const high = Math.max(interval.upper, 0, lift.absolute);
  const span = high - low === 0 ? 1 : high - low;
  const x = (value: number) => margin + ((value - low) / span) * (width - 2 * margin);
  const summary = `Lift ${percent(lift.absolute)}, ${Math.round(confidence * 100)} % interval ${percent(interval.lower)} to ${percent(interval.upper)}, ${lift.significant ? 'significant' : 'not significant'}`;
  return (
    <figure className="lift-chart">
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={summary}>
        <title>{summary}</title>
        <line className="lift-zero" x1={x(0)} x2={x(0)} y1={8} y2={height - 20} />
        <text className="lift-axis" x={x(0)} y={height - 6} textAnchor="middle">
          0
        </text>
        <line className="lift-interval" x1={x(interval.lower)} x2={x(interval.upper)} y1={24} y2={24} />
        <line className="lift-interval" x1={x(interval.lower)} x2={x(interval.lower)} y1={16} y2={32} />
        <line className="lift-interval" x1={x(interval.upper)} x2={x(interval.upper)} y1={16} y2={32} />
        <circle
          className={lift.significant ? 'lift-point significant' : 'lift-point'}
          cx={x(lift.absolute)}
          cy={24}
          r={5}
        />
      </svg>
      <figcaption>{summary}.</figcaption>
    </figure>
  );
};
