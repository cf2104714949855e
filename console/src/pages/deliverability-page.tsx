import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState } from 'react';
import { Link } from 'react-router';
import {
  CartesianGrid,
  Line,
  LineChart,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import {
  type DeliverabilityDay,
  type DeliverabilityLevel,
  DeliverabilityReport,
  type MailingRates,
} from '../../../lib/domain/deliverability-report.js';
import { percentText, type RateThresholds } from '../../../lib/domain/reputation.js';
import { SendingState } from '../../../lib/domain/sending-state.js';
import { adminApi } from '../admin-api.js';
import { useMay } from '../caller.js';
import { type Period, PeriodSelect } from '../period-select.js';
import { count, QueryState, rateText, when } from '../query-state.js';
import { pausedBy, SendingPausedBanner } from '../sending-paused.js';
import { TableScroll } from '../table-scroll.js';

/** A level resting on fewer sends than the pause waits for says so. */
const levelText = (level: DeliverabilityLevel, tooFewSends: boolean): string =>
  tooFewSends && level !== 'healthy' ? `${level} (few sends)` : level;

const Level = ({ level, tooFewSends }: { level: DeliverabilityLevel; tooFewSends: boolean }) => (
  <span className={`level level-${level}`}>{levelText(level, tooFewSends)}</span>
);

/** `2026-12-05` as `5 Dec` on an axis. */
const shortDay = (day: string): string =>
  new Date(`${day}T00:00:00Z`).toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'short',
    timeZone: 'UTC',
  });

/** Colours with at least 3:1 against white; the lines are named in the caption too. */
const colours = { rate: '#1d5fbf', warning: '#a35a00', critical: '#a32020' } as const;

/**
 * One rate per day against its two thresholds. A chart is a picture of the
 * numbers below it: hidden from screen readers, which read the caption and the table.
 */
const RateChart = ({
  title,
  figure,
  days,
  thresholds,
}: {
  title: string;
  figure: 'bounceRate' | 'complaintRate';
  days: readonly DeliverabilityDay[];
  thresholds: RateThresholds;
}) => {
  const headingId = useId();
  const measured = days.flatMap((day) => (day[figure] === null ? [] : [day[figure]]));
  // A bad day must not flatten the thresholds into the axis: the scale stops at three times
  // the critical rate, and a day above it is drawn at the top (the numbers give each).
  const top = Math.max(
    thresholds.critical * 1.5,
    Math.min(Math.max(0, ...measured), thresholds.critical * 3),
  );
  const points = days.map((day) => {
    const value = day[figure];
    return { day: day.day, percent: value === null ? null : Math.min(value, top) * 100 };
  });
  const clipped = measured.some((value) => value > top);
  return (
    <section className="overview-panel" aria-labelledby={headingId}>
      <h2 id={headingId}>{title}</h2>
      <p className="overview-note">
        Warning at {percentText(thresholds.warning)}, critical at {percentText(thresholds.critical)}; no point
        on a day nothing was sent.
        {clipped ? ` Days above ${percentText(top)} are drawn at the top.` : ''}
      </p>
      <div className="overview-chart" aria-hidden="true">
        <ResponsiveContainer width="100%" height="100%">
          <LineChart
            data={points}
            margin={{ top: 8, right: 8, bottom: 0, left: 0 }}
            accessibilityLayer={false}
          >
            <CartesianGrid stroke="#d9dee5" vertical={false} />
            <XAxis dataKey="day" tickFormatter={shortDay} minTickGap={24} />
            <YAxis
              domain={[0, top * 100]}
              ticks={[0, thresholds.warning * 100, thresholds.critical * 100, top * 100]}
              tickFormatter={(value: number) => percentText(value / 100)}
              width={64}
            />
            <Tooltip
              labelFormatter={(day) => (typeof day === 'string' ? shortDay(day) : '')}
              formatter={(value) => (typeof value === 'number' ? percentText(value / 100) : '–')}
            />
            <ReferenceLine
              y={thresholds.warning * 100}
              stroke={colours.warning}
              strokeDasharray="6 4"
              label={{ value: 'warning', position: 'insideTopLeft', fill: colours.warning, fontSize: 12 }}
            />
            <ReferenceLine
              y={thresholds.critical * 100}
              stroke={colours.critical}
              strokeDasharray="2 3"
              label={{
                value: 'critical',
                position: 'insideBottomLeft',
                fill: colours.critical,
                fontSize: 12,
              }}
            />
            <Line
              type="monotone"
              dataKey="percent"
              name={title}
              stroke={colours.rate}
              strokeWidth={2}
              dot={{ r: 2 }}
              connectNulls={false}
              isAnimationActive={false}
            />
          </LineChart>
        </ResponsiveContainer>
      </div>
    </section>
  );
};

const DayNumbers = ({ days }: { days: readonly DeliverabilityDay[] }) => (
  <details className="overview-numbers">
    <summary>Show the numbers</summary>
    <TableScroll label="Rates per day">
      <table>
        <caption>Rates per day (UTC), all mail</caption>
        <thead>
          <tr>
            <th scope="col">Day</th>
            <th scope="col">Sent</th>
            <th scope="col">Delivered</th>
            <th scope="col">Bounced</th>
            <th scope="col">Complained</th>
            <th scope="col">Bounce rate</th>
            <th scope="col">Complaint rate</th>
            <th scope="col">Level</th>
          </tr>
        </thead>
        <tbody>
          {days.map((day) => (
            <tr key={day.day} className={`row-${day.level}`}>
              <th scope="row">{day.day}</th>
              <td>{count(day.sent)}</td>
              <td>{count(day.delivered)}</td>
              <td>{count(day.bounced)}</td>
              <td>{count(day.complained)}</td>
              <td data-figure="bounceRate">{rateText(day.bounceRate)}</td>
              <td data-figure="complaintRate">{rateText(day.complaintRate)}</td>
              <td>
                {/* A day nothing was sent has no rate to judge. */}
                {day.sent === 0 ? '–' : <Level level={day.level} tooFewSends={day.tooFewSends} />}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  </details>
);

/** Journeys or campaigns worst first, those past a threshold marked in words and colour. */
const Mailings = ({
  title,
  rows,
  base,
  none,
}: {
  title: string;
  rows: readonly MailingRates[];
  base: 'journeys' | 'campaigns';
  none: string;
}) => {
  const headingId = useId();
  return (
    <section aria-labelledby={headingId}>
      <h2 id={headingId}>{title}</h2>
      {rows.length === 0 ? (
        <p>{none}</p>
      ) : (
        <TableScroll label={title}>
          <table className="deliverability-mailings">
            <caption>Worst first: by complaint rate, then bounce rate</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col" className="number">
                  Sent
                </th>
                <th scope="col" className="number">
                  Bounced
                </th>
                <th scope="col" className="number">
                  Complained
                </th>
                <th scope="col" className="number">
                  Bounce rate
                </th>
                <th scope="col" className="number">
                  Complaint rate
                </th>
                <th scope="col">Level</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.id} className={`row-${row.level}`} data-id={row.id}>
                  <th scope="row">
                    <Link to={`/${base}/${encodeURIComponent(row.id)}`}>{row.name}</Link>
                    <span className="id">{row.id}</span>
                  </th>
                  <td className="number">{count(row.sent)}</td>
                  <td className="number">{count(row.bounced)}</td>
                  <td className="number">{count(row.complained)}</td>
                  <td className="number" data-figure="bounceRate">
                    {rateText(row.bounceRate)}
                  </td>
                  <td className="number" data-figure="complaintRate">
                    {rateText(row.complaintRate)}
                  </td>
                  <td>
                    <Level level={row.level} tooFewSends={row.tooFewSends} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </section>
  );
};

/** Admins resume once they have dealt with the cause: a second step asks them to confirm. */
const ResumeControl = () => {
  const queries = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const confirmButton = useRef<HTMLButtonElement>(null);
  // The button pressed is gone once the question shows: focus moves to the answer, not to the page's start.
  useEffect(() => {
    if (confirming) confirmButton.current?.focus();
  }, [confirming]);
  const resume = useMutation({
    mutationFn: () => adminApi(SendingState, 'POST', '/admin/sending/resume', {}),
    onSuccess: () =>
      Promise.all([
        queries.invalidateQueries({ queryKey: ['deliverability'] }),
        queries.invalidateQueries({ queryKey: ['overview'] }),
      ]),
  });
  return (
    <div className="sending-resume">
      {confirming ? (
        <div>
          <p>
            Resume marketing email? Every journey’s and campaign’s waiting email goes out. Resume only once
            the cause is dealt with.
          </p>
          <div className="actions">
            <button
              type="button"
              ref={confirmButton}
              disabled={resume.isPending}
              onClick={() => resume.mutate()}
            >
              Yes, resume marketing email
            </button>
            <button type="button" className="secondary" onClick={() => setConfirming(false)}>
              Keep it paused
            </button>
          </div>
        </div>
      ) : (
        <div className="actions">
          <button type="button" onClick={() => setConfirming(true)}>
            Resume marketing email
          </button>
        </div>
      )}
      {resume.isError ? (
        <p role="alert" className="problem">
          Could not resume: {resume.error.message}
        </p>
      ) : null}
    </div>
  );
};

const SendingStatus = ({ state }: { state: SendingState }) => {
  const mayResume = useMay('admin');
  if (state.status === 'paused')
    return (
      <SendingPausedBanner pause={state.pause}>
        {mayResume ? (
          <ResumeControl />
        ) : (
          <p className="overview-note">An admin can resume it here, or with `rapport sending resume`.</p>
        )}
      </SendingPausedBanner>
    );
  return (
    <p className="sending-active" aria-live="polite">
      <span className="status status-active">active</span> Marketing email goes out.
      {state.lastPause === undefined
        ? null
        : ` Last paused ${when(state.lastPause.at)} by ${pausedBy(state.lastPause)}; resumed ${when(state.lastPause.resumedAt)}.`}
    </p>
  );
};

/**
 * Rapport's own bounce and complaint rates, from the SES events it receives:
 * whether marketing email is paused (and, for admins, the resume), the window
 * the pause judges, a chart per rate against its thresholds, and each journey
 * and campaign worst first.
 */
export const DeliverabilityPage = () => {
  const [days, setDays] = useState<Period>(30);
  const windowId = useId();
  const report = useQuery({
    queryKey: ['deliverability', days],
    queryFn: () => adminApi(DeliverabilityReport, 'GET', `/admin/deliverability?days=${days}`),
    // The period select lives inside the answer: the last one stays up while the next loads.
    placeholderData: keepPreviousData,
  });
  return (
    <>
      <h1>Deliverability</h1>
      <QueryState query={report} what="the deliverability report">
        {(answer) => {
          const { window, thresholds } = answer;
          return (
            <>
              <SendingStatus state={answer.sending} />
              <section aria-labelledby={`${windowId}-window`}>
                <h2 id={`${windowId}-window`}>
                  The last {thresholds.windowDays} days:{' '}
                  <Level level={window.breaches[0]?.level ?? 'healthy'} tooFewSends={window.tooFewSends} />
                </h2>
                <p>
                  {window.from} to {window.to}: {count(window.rates.sent)} sent, bounce rate{' '}
                  {rateText(window.rates.bounceRate)}, complaint rate {rateText(window.rates.complaintRate)}.
                </p>
                {window.breaches.length === 0 ? null : <p>Past a threshold: {window.cause}.</p>}
                <p className="overview-note">
                  {window.tooFewSends
                    ? `Fewer than ${count(thresholds.minSends)} sends: too few to pause sending by.`
                    : `At the critical level marketing email pauses by itself.`}{' '}
                  Bounce rate: warning {percentText(thresholds.bounceRate.warning)}, critical{' '}
                  {percentText(thresholds.bounceRate.critical)}. Complaint rate: warning{' '}
                  {percentText(thresholds.complaintRate.warning)}, critical{' '}
                  {percentText(thresholds.complaintRate.critical)}.
                </p>
              </section>
              <PeriodSelect days={days} onChange={setDays} />
              <p className="overview-note">
                From {answer.from} to {answer.to}, by UTC day: {count(answer.total.sent)} sent, bounce rate{' '}
                {rateText(answer.total.bounceRate)}, complaint rate {rateText(answer.total.complaintRate)}.
                Each rate is over the mail SES sent.
              </p>
              <div className="overview-grid">
                <RateChart
                  title="Bounce rate"
                  figure="bounceRate"
                  days={answer.days}
                  thresholds={thresholds.bounceRate}
                />
                <RateChart
                  title="Complaint rate"
                  figure="complaintRate"
                  days={answer.days}
                  thresholds={thresholds.complaintRate}
                />
              </div>
              <DayNumbers days={answer.days} />
              <Mailings
                title="Journeys"
                rows={answer.journeys}
                base="journeys"
                none="No journey’s mail had an SES event in this period."
              />
              <Mailings
                title="Campaigns"
                rows={answer.campaigns}
                base="campaigns"
                none="No campaign’s mail had an SES event in this period."
              />
            </>
          );
        }}
      </QueryState>
    </>
  );
};
