import { useQuery } from '@tanstack/react-query';
import { type ReactElement, useId, useState } from 'react';
import { Link } from 'react-router';
import {
  Bar,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { Overview, type OverviewActivity, type OverviewDay } from '../../../lib/domain/overview.js';
import { adminApi } from '../admin-api.js';
import { type Period, PeriodSelect } from '../period-select.js';
import { count, QueryState } from '../query-state.js';
import { SendingPausedBanner } from '../sending-paused.js';
import { TableScroll } from '../table-scroll.js';

/** The day's counts and revenue: the rates are the deliverability page's. */
type Figure = Exclude<keyof OverviewDay, 'day' | 'bounceRate' | 'complaintRate'>;

interface Series {
  figure: Figure;
  label: string;
  /** Colours with at least 3:1 against white, told apart by the legend's names too. */
  colour: string;
}

const audience: Series[] = [
  { figure: 'signups', label: 'Signups', colour: '#1d5fbf' },
  { figure: 'confirmations', label: 'Confirmations', colour: '#1b7a3a' },
  { figure: 'unsubscribes', label: 'Unsubscribes', colour: '#a35a00' },
  { figure: 'complaints', label: 'Complaints', colour: '#a32020' },
  { figure: 'bounces', label: 'Bounces', colour: '#6b3fa0' },
];
const mail: Series[] = [
  { figure: 'sends', label: 'Sends', colour: '#1c2430' },
  { figure: 'deliveries', label: 'Deliveries', colour: '#1d5fbf' },
  { figure: 'opens', label: 'Opens', colour: '#1b7a3a' },
  { figure: 'clicks', label: 'Clicks', colour: '#a35a00' },
];
const orders: Series = { figure: 'orders', label: 'Orders', colour: '#1d5fbf' };
const revenue: Series = { figure: 'revenue', label: 'Revenue', colour: '#1b7a3a' };

/** `2026-12-05` as `5 Dec` on an axis. */
const shortDay = (day: string): string =>
  new Date(`${day}T00:00:00Z`).toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'short',
    timeZone: 'UTC',
  });

const money = (value: number, currency: string): string =>
  value.toLocaleString('en-US', { style: 'currency', currency });

const plural = (value: number, noun: string): string => `${count(value)} ${noun}${value === 1 ? '' : 's'}`;

const total = (days: readonly OverviewDay[], figure: Figure): number =>
  days.reduce((sum, day) => sum + day[figure], 0);

/** The same figures as the chart, a row per day: what a screen reader reads, and anyone who wants the numbers. */
const Numbers = ({
  title,
  series,
  days,
  format = (_, value) => count(value),
}: {
  title: string;
  series: readonly Series[];
  days: readonly OverviewDay[];
  format?: (figure: Figure, value: number) => string;
}) => (
  <details className="overview-numbers">
    <summary>Show the numbers</summary>
    <TableScroll label={`${title} per day`}>
      <table>
        <caption>{title} per day (UTC)</caption>
        <thead>
          <tr>
            <th scope="col">Day</th>
            {series.map((one) => (
              <th scope="col" key={one.figure}>
                {one.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {days.map((day) => (
            <tr key={day.day}>
              <th scope="row">{day.day}</th>
              {series.map((one) => (
                <td key={one.figure} data-figure={one.figure}>
                  {format(one.figure, day[one.figure])}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">Total</th>
            {series.map((one) => (
              <td key={one.figure}>{format(one.figure, total(days, one.figure))}</td>
            ))}
          </tr>
        </tfoot>
      </table>
    </TableScroll>
  </details>
);

/** A chart is a picture of the table beside it: hidden from screen readers, which read the totals and the table. */
const ChartFrame = ({ children }: { children: ReactElement }) => (
  <div className="overview-chart" aria-hidden="true">
    <ResponsiveContainer width="100%" height="100%">
      {children}
    </ResponsiveContainer>
  </div>
);

const Totals = ({ items }: { items: readonly { label: string; value: string }[] }) => (
  <dl className="overview-totals">
    {items.map((item) => (
      <div key={item.label}>
        <dt>{item.label}</dt>
        <dd>{item.value}</dd>
      </div>
    ))}
  </dl>
);

const LinesPanel = ({
  title,
  series,
  days,
}: {
  title: string;
  series: readonly Series[];
  days: OverviewDay[];
}) => {
  const headingId = useId();
  return (
    <section className="overview-panel" aria-labelledby={headingId}>
      <h2 id={headingId}>{title}</h2>
      <Totals items={series.map((one) => ({ label: one.label, value: count(total(days, one.figure)) }))} />
      <ChartFrame>
        <LineChart data={days} margin={{ top: 8, right: 8, bottom: 0, left: -16 }} accessibilityLayer={false}>
          <CartesianGrid stroke="#d9dee5" vertical={false} />
          <XAxis dataKey="day" tickFormatter={shortDay} minTickGap={24} />
          <YAxis allowDecimals={false} />
          <Tooltip labelFormatter={(day) => (typeof day === 'string' ? shortDay(day) : '')} />
          <Legend itemSorter={null} />
          {series.map((one) => (
            <Line
              key={one.figure}
              type="monotone"
              dataKey={one.figure}
              name={one.label}
              stroke={one.colour}
              dot={false}
              strokeWidth={2}
              isAnimationActive={false}
            />
          ))}
        </LineChart>
      </ChartFrame>
      <Numbers title={title} series={series} days={days} />
    </section>
  );
};

const OrdersPanel = ({ days, currency }: { days: OverviewDay[]; currency: string }) => {
  const headingId = useId();
  return (
    <section className="overview-panel" aria-labelledby={headingId}>
      <h2 id={headingId}>Attributed orders</h2>
      <Totals
        items={[
          { label: 'Orders', value: count(total(days, 'orders')) },
          { label: 'Revenue', value: money(total(days, 'revenue'), currency) },
        ]}
      />
      <ChartFrame>
        <ComposedChart
          data={days}
          margin={{ top: 8, right: 0, bottom: 0, left: -16 }}
          accessibilityLayer={false}
        >
          <CartesianGrid stroke="#d9dee5" vertical={false} />
          <XAxis dataKey="day" tickFormatter={shortDay} minTickGap={24} />
          <YAxis yAxisId="orders" allowDecimals={false} />
          <YAxis yAxisId="revenue" orientation="right" />
          <Tooltip labelFormatter={(day) => (typeof day === 'string' ? shortDay(day) : '')} />
          <Legend itemSorter={null} />
          <Bar
            yAxisId="orders"
            dataKey={orders.figure}
            name={orders.label}
            fill={orders.colour}
            isAnimationActive={false}
          />
          <Line
            yAxisId="revenue"
            type="monotone"
            dataKey={revenue.figure}
            name={`${revenue.label} (${currency})`}
            stroke={revenue.colour}
            dot={false}
            strokeWidth={2}
            isAnimationActive={false}
          />
        </ComposedChart>
      </ChartFrame>
      <Numbers
        title="Attributed orders"
        series={[orders, revenue]}
        days={days}
        format={(figure, value) => (figure === 'revenue' ? money(value, currency) : count(value))}
      />
    </section>
  );
};

const Busiest = ({
  title,
  rows,
  base,
  none,
  currency,
}: {
  title: string;
  rows: readonly OverviewActivity[];
  base: string;
  none: string;
  currency: string;
}) => {
  const headingId = useId();
  return (
    <section className="overview-panel" aria-labelledby={headingId}>
      <h2 id={headingId}>{title}</h2>
      {rows.length === 0 ? (
        <p>{none}</p>
      ) : (
        <ol className="overview-busiest">
          {rows.map((row) => (
            <li key={row.id}>
              <Link to={`/${base}/${encodeURIComponent(row.id)}`}>{row.name}</Link>{' '}
              <span className="overview-note">
                {plural(row.sends, 'send')}, {plural(row.orders, 'order')}, {money(row.revenue, currency)}
              </span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
};

export const OverviewPage = () => {
  const [days, setDays] = useState<Period>(30);
  const overview = useQuery({
    queryKey: ['overview', days],
    queryFn: () => adminApi(Overview, 'GET', `/admin/overview?days=${days}`),
  });
  return (
    <>
      <h1>Overview</h1>
      <PeriodSelect days={days} onChange={setDays} />
      <QueryState query={overview} what="the overview">
        {(answer) => (
          <>
            {answer.sending.status === 'paused' ? (
              <SendingPausedBanner pause={answer.sending.pause}>
                <p>
                  <Link to="/deliverability">See the rates, and resume, on the Deliverability page</Link>
                </p>
              </SendingPausedBanner>
            ) : null}
            <p className="overview-note">
              From {answer.from} to {answer.to}, by UTC day; money in {answer.currency}.
            </p>
            <div className="overview-grid">
              <LinesPanel title="Audience" series={audience} days={answer.days} />
              <LinesPanel title="Email" series={mail} days={answer.days} />
              <OrdersPanel days={answer.days} currency={answer.currency} />
            </div>
            <div className="overview-grid">
              <Busiest
                title="Busiest journeys"
                rows={answer.topJourneys}
                base="journeys"
                none="No journey sent anything in this period."
                currency={answer.currency}
              />
              <Busiest
                title="Busiest campaigns"
                rows={answer.topCampaigns}
                base="campaigns"
                none="No campaign sent anything in this period."
                currency={answer.currency}
              />
            </div>
          </>
        )}
      </QueryState>
    </>
  );
};
