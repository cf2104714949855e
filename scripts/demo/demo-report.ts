import { categoriesTable } from '../../lib/cli/categories-text.js';
import { valueModelText } from '../../lib/cli/models-command.js';
import { audienceChecks, audienceSection, campaignChecks, campaignSection } from './demo-campaign-report.js';
import { type DemoCheck, integer, liftLine, money, percent, rate, table, tally } from './demo-format.js';
import type { DemoFindings, JourneyOutcome, ReportAnswer } from './run-demo.js';

/**
 * What `npm run demo` prints: plain tables of what the demo posted and what the
 * system answered, and the checks that tie the two together. Only formatting
 * here; every number comes from DemoFindings.
 */

const ticks = (count: number): string => (count === 1 ? 'one tick' : `${integer(count)} ticks`);

const indented = (text: string): string[] => text.split('\n').map((line) => `  ${line}`);

const customersOf = (findings: DemoFindings) =>
  findings.contacts.flatMap((record) =>
    record.contact.customer !== undefined && record.contact.customer.orders > 0
      ? [{ contact: record.contact, customer: record.contact.customer }]
      : [],
  );

const tiers = ['vip', 'regular', 'new', 'lapsed'];

const tierRows = (findings: DemoFindings) => {
  const customers = customersOf(findings);
  const names = [
    ...tiers,
    ...new Set(
      customers.map(({ customer }) => customer.tier ?? '(unscored)').filter((t) => !tiers.includes(t)),
    ),
  ];
  return names.map((tier) => {
    const members = customers.filter(({ customer }) => (customer.tier ?? '(unscored)') === tier);
    const revenue = members.reduce((total, { customer }) => total + customer.revenue, 0);
    const clv = members.reduce((total, { customer }) => total + (customer.predictedClv ?? 0), 0);
    return {
      tier,
      count: members.length,
      revenue,
      share: customers.length === 0 ? 0 : members.length / customers.length,
      averageClv: members.length === 0 ? 0 : clv / members.length,
    };
  });
};

/** The numbers that must agree if the system did what the demo asked; a disagreement fails the run. */
export const demoChecks = (findings: DemoFindings): DemoCheck[] => {
  const customers = customersOf(findings);
  const tierTotal = tierRows(findings).reduce((total, row) => total + row.count, 0);
  const revenue = customers.reduce((total, { customer }) => total + customer.revenue, 0);
  const journeySent = findings.journeys.reduce((total, journey) => total + journey.sent, 0);
  const journeyEmails = findings.emails.total - findings.emails.confirmations;
  const signedUp = findings.signups.signedUp;
  const launchReaders = findings.genres.find((row) => row.genre === findings.launch.genre)?.readers ?? 0;
  return [
    {
      ok: tierTotal === customers.length,
      what: `value tiers add up to the customers: ${integer(tierTotal)} = ${integer(customers.length)}`,
    },
    {
      ok: customers.length === findings.posted.customers,
      what: `customers in Rapport = people the demo posted orders for: ${integer(customers.length)} = ${integer(findings.posted.customers)}`,
    },
    {
      ok: Math.abs(revenue - findings.posted.netRevenue) < 0.01,
      what: `net revenue on the customer cards = orders less refunds posted: ${money(revenue)} = ${money(findings.posted.netRevenue)}`,
    },
    {
      ok: findings.emails.confirmations === signedUp,
      what: `one confirmation email per signup: ${integer(findings.emails.confirmations)} = ${integer(signedUp)}`,
    },
    {
      ok: journeySent === journeyEmails + findings.sms,
      what: `journey sends counted in the stats = journey emails in the SES emulator + texts: ${integer(journeySent)} = ${integer(journeyEmails)} + ${integer(findings.sms)}`,
    },
    {
      ok: findings.staleScores === 0,
      what: `every customer rescored by the refresh after the history (${integer(findings.staleScores)} left behind)`,
    },
    {
      ok: findings.launch.jobStatus === 'done',
      what: `the launch's fan-out job is ${findings.launch.jobStatus}`,
    },
    {
      ok: findings.launch.eventsWritten === launchReaders,
      what: `the launch told the people who bought ${findings.launch.genre} books, and no one else: ${integer(findings.launch.eventsWritten)} = ${integer(launchReaders)}`,
    },
    ...findings.holdoutReports.map(holdoutCheck(findings)),
    ...audienceChecks(findings.audiences, findings.people),
    ...campaignChecks(findings.campaign),
    {
      ok: findings.restocks.datedByLearning > 0,
      what: `paper, which the catalog gives no cycle, is dated by a learned or personal one for ${integer(findings.restocks.datedByLearning)} of the ${integer(findings.restocks.orders)} customers who reordered it`,
    },
    { ok: findings.deadLetters === 0, what: `dead letters: ${integer(findings.deadLetters)}` },
  ];
};

/**
 * A holdout report counts people: its members and conversions per group are
 * the contacts whose records hold an enrollment of the journey in that group,
 * and those of them with a goal reached, however often they entered.
 */
const holdoutCheck =
  (findings: DemoFindings) =>
  ({ journeyId, report }: DemoFindings['holdoutReports'][number]): DemoCheck => {
    const counted = (group: 'treatment' | 'control') => {
      const records = findings.contacts
        .map((record) => record.enrollments.filter((e) => e.journeyId === journeyId && e.group === group))
        .filter((enrollments) => enrollments.length > 0);
      return {
        members: records.length,
        converted: records.filter((enrollments) => enrollments.some((e) => e.goalReachedAt !== undefined))
          .length,
      };
    };
    const [treatment, control] = [counted('treatment'), counted('control')];
    const reported = report.holdout;
    return {
      ok:
        reported.treatment.members === treatment.members &&
        reported.control.members === control.members &&
        reported.treatment.conversions === treatment.converted &&
        reported.control.conversions === control.converted,
      what: `${journeyId}'s holdout report counts the contacts in its enrollments: members ${integer(reported.treatment.members)} + ${integer(reported.control.members)} = ${integer(treatment.members)} + ${integer(control.members)}, converted ${integer(reported.treatment.conversions)} + ${integer(reported.control.conversions)} = ${integer(treatment.converted)} + ${integer(control.converted)}`,
    };
  };

const holdoutSection = (reports: DemoFindings['holdoutReports']): string[] => {
  if (reports.length === 0) {
    return [
      '  None of the shipped journeys has a holdout (journeys/*.yaml), so there is no control group',
      '  and no lift to report. Add `holdout: 10` to a journey to keep 10% of its entrants as a control.',
    ];
  }
  const euros = (value: number | null) => (value === null ? '-' : money(value));
  return reports.flatMap(
    ({ journeyId, holdout, report }: { journeyId: string; holdout: number; report: ReportAnswer }) => {
      const { treatment, control } = report.holdout;
      return [
        `  ${journeyId} (holdout ${holdout}%, ${report.from} to ${report.to})`,
        table(
          ['group', 'members', 'enrollments', 'converted', 'rate', 'revenue', 'per member'],
          [
            [
              'treatment',
              treatment.members,
              report.enrollments.treatment.entered,
              treatment.conversions,
              rate(treatment.conversionRate),
              money(treatment.revenue),
              euros(treatment.revenuePerMember),
            ],
            [
              'control',
              control.members,
              report.enrollments.control.entered,
              control.conversions,
              rate(control.conversionRate),
              money(control.revenue),
              euros(control.revenuePerMember),
            ],
          ],
        ),
        `  ${liftLine(report.holdout)}; last-click attributed: ${integer(report.attributed.orders)} orders, ${money(report.attributed.revenue)}`,
      ];
    },
  );
};

const journeyRows = (journeys: readonly JourneyOutcome[]) =>
  journeys.map((journey) => [
    journey.journeyId,
    journey.entered,
    journey.running,
    journey.sent,
    tally(journey.skipped),
    tally(journey.deferred),
  ]);

const consentRows = (findings: DemoFindings) => {
  const counts = new Map<string, number>();
  for (const record of findings.contacts) {
    const status = record.contact.consent.email.status;
    counts.set(status, (counts.get(status) ?? 0) + 1);
  }
  return [...counts].sort(([, a], [, b]) => b - a);
};

export const demoReport = (
  findings: DemoFindings,
  options: { seed: number; checks: readonly DemoCheck[] },
): string => {
  const { history, signups, launch } = findings;
  const customers = customersOf(findings);
  const topCustomers = [...customers].sort((a, b) => b.customer.revenue - a.customer.revenue).slice(0, 10);
  const netRevenue = customers.reduce((total, { customer }) => total + customer.revenue, 0);
  const topFifth = [...customers]
    .sort((a, b) => b.customer.revenue - a.customer.revenue)
    .slice(0, Math.ceil(customers.length / 5));
  const journeyEmails = findings.emails.total - findings.emails.confirmations;
  return [
    '',
    `Rapport demo: a small shop on the local stack (seed ${options.seed}, ${integer(findings.people)} people)`,
    '',
    'What the demo posted (admin and public APIs)',
    `  catalog    ${integer(findings.catalogImported)} products through POST /admin/products/import`,
    `  signups    ${integer(signups.signedUp)} through POST /v1/signup; ${integer(signups.confirmed)} confirmed through the emailed link, ${integer(signups.signedUp - signups.confirmed)} left pending`,
    `  history    ${integer(history.calls)} calls in ${integer(history.batches)} POST /v1/batch requests over the last 365 days: ${integer(history.identifies)} identifies, ${integer(history.orders)} orders, ${integer(history.refunds)} refunds`,
    `             accepted ${integer(history.accepted)}, duplicates ${integer(history.duplicates)}, rejected ${integer(history.rejected)}`,
    `  schedules  ticked until a tick set nothing off: ${ticks(findings.settleRounds)} (each runs every schedule: due timers, customer-value refresh, journey jobs)`,
    '',
    'Book sales by genre (a book’s category is books/<genre>: the card counts it there, a launch tells its readers)',
    table(
      ['genre', 'units', 'revenue', 'readers'],
      findings.genres.map((row) => [row.genre, row.units, money(row.revenue), row.readers]),
    ),
    '',
    `New book: "${launch.name}" (${launch.sku}) in ${launch.genre}, the best-selling genre, through POST /admin/products/${launch.sku}/publish`,
    `  fan-out job ${launch.jobStatus} after ${ticks(launch.rounds)}: ${integer(launch.contactsSeen)} contacts looked at, ${integer(launch.eventsWritten)} readers of ${launch.category} sent product_published; readers of other genres were not told`,
    '',
    'Contacts by email consent (GET /admin/contacts)',
    table(['consent', 'contacts'], consentRows(findings)),
    '',
    `Journeys (GET /admin/journeys/{id}/stats, ${findings.statsRange.from} to ${findings.statsRange.to}; running from the contacts' enrollments)`,
    table(['journey', 'entered', 'running', 'sent', 'skipped', 'deferred'], journeyRows(findings.journeys)),
    '  skipped not-subscribed: bought but never opted in (consent is checked at send time);',
    '  deferred: held back by delivery-policy.yaml (quiet hours in the contact’s time zone, at most 3 emails a week).',
    '',
    `Messages: ${integer(findings.emails.total)} emails in the SES emulator (${integer(findings.emails.confirmations)} confirmations, ${integer(journeyEmails)} from journeys), ${integer(findings.sms)} texts`,
    table(
      ['subject', 'emails'],
      findings.emails.bySubject.map((row) => [row.subject, row.count]),
    ),
    '',
    `Value tiers (contact.customer.tier after the customer-value refresh; ${integer(customers.length)} customers)`,
    table(
      ['tier', 'customers', 'share', 'net revenue', 'avg predicted CLV'],
      [
        ...tierRows(findings).map((row) => [
          row.tier,
          row.count,
          percent(row.share),
          money(row.revenue),
          money(row.averageClv),
        ]),
        ['total', customers.length, percent(customers.length === 0 ? 0 : 1), money(netRevenue), ''],
      ],
    ),
    '',
    'Value model (GET /admin/customer-value; npx rapport models show)',
    ...indented(valueModelText(findings.customerValue).toString()),
    '',
    'Replacement cycles (GET /admin/categories; npx rapport categories)',
    ...indented(categoriesTable(findings.categories).toString()),
    `  after the refresh ${integer(findings.restocks.orders)} customers reordered paper; ${integer(findings.restocks.datedByLearning)} of them now have it dated by their own or the base's cycle,`,
    '  which starts the replacement-reminder journey for it (paper has no cycle in the catalog)',
    '',
    'Top 10 customers by net revenue (GET /admin/contacts)',
    table(
      [
        'customer',
        'orders',
        'refunds',
        'net revenue',
        'RFM',
        'tier',
        'predicted CLV',
        'pAlive',
        'churn risk',
      ],
      topCustomers.map(({ contact, customer }) => [
        contact.name ?? contact.email,
        customer.orders,
        customer.refunds ?? 0,
        money(customer.revenue),
        customer.rfm?.segment ?? '-',
        customer.tier ?? '-',
        money(customer.predictedClv ?? 0),
        customer.pAlive === undefined ? '-' : customer.pAlive.toFixed(2),
        customer.churnRisk === undefined ? '-' : customer.churnRisk.toFixed(2),
      ]),
    ),
    `  the top fifth of customers (${integer(topFifth.length)}) brought ${percent(
      topFifth.reduce((total, { customer }) => total + customer.revenue, 0) / Math.max(1, netRevenue),
    )} of net revenue`,
    '',
    'Journey report (GET /admin/journeys/{id}/report)',
    ...holdoutSection(findings.holdoutReports),
    '',
    ...audienceSection(findings.audiences, findings.people),
    '',
    ...campaignSection(findings.campaign),
    '',
    'Checks',
    ...options.checks.map((check) => `  ${check.ok ? 'ok  ' : 'FAIL'}  ${check.what}`),
    '',
  ].join('\n');
};

/** The phases and their durations, and the line the demo ends with. */
export const timingReport = (timings: ReadonlyArray<readonly [string, number]>): string => {
  const totalMs = timings.reduce((total, [, ms]) => total + ms, 0);
  return [
    'Timing',
    table(
      ['phase', 'seconds'],
      timings.map(([label, ms]) => [label, (ms / 1000).toFixed(1)]),
    ),
    '',
    `Demo finished in ${(totalMs / 1000).toFixed(1)} s.`,
    '',
  ].join('\n');
};
