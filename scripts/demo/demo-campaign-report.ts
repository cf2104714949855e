import type { CampaignFiguresAnswer, CampaignFindings } from './demo-campaign.js';
import { type DemoCheck, integer, liftLine, money, percent, rate, table, tally } from './demo-format.js';
import type { AudienceFindings } from './demo-segments.js';

/**
 * What `npm run demo` prints about its audiences and its campaign: the contact
 * list, the two segments with their counts, the campaign's send across the
 * time zones and its report; and the checks that tie them to what the demo
 * posted and what reached the SES emulator. Only formatting and comparing.
 */

const sumOf = (counts: Record<string, number>): number =>
  Object.values(counts).reduce((total, count) => total + count, 0);

/** A condition as YAML would show it: `path: value`, operators inline. */
const conditionText = (condition: Record<string, unknown>): string =>
  Object.entries(condition)
    .map(([path, value]) => {
      const operand =
        typeof value === 'object' && value !== null
          ? `{ ${Object.entries(value)
              .map(([operator, argument]) => `${operator}: ${String(argument)}`)
              .join(', ')} }`
          : String(value);
      return `${path}: ${operand}`;
    })
    .join(', ');

const utcMinute = (iso: string): string => iso.slice(0, 16).replace('T', ' ');

export const audienceSection = (audiences: AudienceFindings, people: number): string[] => {
  const { listing, counts } = audiences;
  return [
    `Contacts (GET /admin/contacts?limit=${listing.limit}: ${integer(listing.contacts.length)} contacts of ${integer(people)} people, in ${integer(listing.pages)} pages; the first rows)`,
    table(
      ['contact', 'email consent', 'tier', 'orders', 'net revenue'],
      listing.contacts
        .slice(0, 5)
        .map((contact) => [
          contact.email,
          contact.consent.email.status,
          contact.customer?.tier ?? '-',
          contact.customer?.orders ?? 0,
          money(contact.customer?.revenue ?? 0),
        ]),
    ),
    '',
    'Segments (PUT /admin/segments/{id}; POST /admin/segments/{id}/count, run by the journey-jobs schedule; GET …/count)',
    table(
      ['segment', 'name', 'condition', 'members', 'expected'],
      counts.map((count) => [
        count.segment.id,
        count.segment.name,
        conditionText(count.segment.condition),
        count.members,
        count.expected,
      ]),
    ),
    ...counts.map((count) => `  ${count.segment.id}: expected = ${count.rule}`),
    ...counts.map(
      (count) => `  ${count.segment.id}: a few members: ${count.sample.slice(0, 3).join(', ') || '(none)'}`,
    ),
  ];
};

/** A variant has treatment recipients only: the control group is the campaign's, shown in the total. */
const figureRow = (name: string, figures: CampaignFiguresAnswer, withControl: boolean) => [
  name,
  figures.audience.treatment,
  withControl ? figures.audience.control : '',
  figures.sent,
  sumOf(figures.skipped),
  sumOf(figures.deferred),
  figures.delivered,
  figures.opened,
  figures.clicked,
  figures.attributed.orders,
  money(figures.attributed.revenue),
];

export const campaignSection = (campaign: CampaignFindings): string[] => {
  const { report } = campaign;
  const goal = report.goal;
  const groupRow = (name: string, group: NonNullable<typeof goal>['holdout']['treatment']) => [
    name,
    group.members,
    group.conversions,
    rate(group.conversionRate),
    money(group.revenue),
    group.revenuePerMember === null ? '-' : money(group.revenuePerMember),
  ];
  return [
    `Campaign "${campaign.name}" (PUT /admin/campaigns/${campaign.campaignId}, POST …/validate, POST …/launch)`,
    `  audience   ${campaign.segmentId} at launch: ${integer(campaign.segmentMembers)} members, ${integer(campaign.reachable)} of them subscribed to email (the others gave no email consent); ${campaign.holdout}% held out as control`,
    `  email      template ${campaign.templateId} v${campaign.templateVersion} (PUT /admin/templates/{id}/draft, POST …/publish); variants by subject: ${campaign.variants
      .map((variant) => `${variant.id} "${variant.subject}"`)
      .join(', ')}`,
    `  schedule   ${campaign.schedule.time} on ${campaign.schedule.date} in each reader's own time zone (the first date whose 10:00 is ahead in every zone)`,
    `  goal       ${campaign.goal.event} within ${campaign.goal.within} of the send (the control group's from its would-be send)`,
    `  launched   ${campaign.launchStatus}${campaign.validation.valid ? '' : `; validate found: ${campaign.validation.problems.join('; ')}`}; ${integer(campaign.beforeFirstStep)} emails out before any zone's 10:00`,
    `Sending: the demo moved the stack's clock on to each zone's 10:00 (${campaign.aheadHours.toFixed(1)} hours in all, in seconds)`,
    table(
      ['zone', '10:00 there, UTC', 'reachable members'],
      campaign.zones.map((zone) => [zone.zone, utcMinute(zone.at), zone.members]),
    ),
    '  Step by step (the clock moved on, then the schedules run until they set nothing more off):',
    table(
      ['clock (UTC)', 'moment', 'campaign emails out'],
      campaign.steps.map((step) => [utcMinute(step.at), step.label, step.emails]),
    ),
    '',
    `Campaign report (GET /admin/campaigns/${campaign.campaignId}/report, ${report.from} to ${report.to}; status ${campaign.finalStatus})`,
    table(
      [
        'variant',
        'treatment',
        'control',
        'sent',
        'skipped',
        'deferred',
        'delivered',
        'opened',
        'clicked',
        'attributed',
        'revenue',
      ],
      [
        ...report.variants.map((variant) => figureRow(variant.variant, variant, false)),
        figureRow('total', report.total, true),
      ],
    ),
    `  skipped: ${tally(report.total.skipped)}; deferred: ${tally(report.total.deferred)}; unsubscribed ${integer(report.total.unsubscribed)}, bounced ${integer(report.total.bounced)}, complained ${integer(report.total.complained)}`,
    `  SES feedback, played by the demo (the emulator sends none) through POST /local/topics/ses-feedback: ${integer(campaign.feedback.delivered)} deliveries, ${integer(campaign.feedback.opened)} opens, ${integer(campaign.feedback.clicked)} clicks`,
    `  orders the demo posted three hours later: ${integer(campaign.orders.emailed.people)} readers who got the email (${money(campaign.orders.emailed.revenue)}; ${integer(campaign.orders.afterClick.people)} after a click), ${integer(campaign.orders.notEmailed.people)} who did not (${money(campaign.orders.notEmailed.revenue)})`,
    ...(goal === null
      ? ['  no goal: no conversions to report']
      : [
          `  goal ${goal.event} within ${goal.within}: treatment against control`,
          table(
            ['group', 'members', 'converted', 'rate', 'revenue', 'per member'],
            [
              groupRow('treatment', goal.holdout.treatment),
              ...goal.variants.map((variant) => groupRow(`  ${variant.variant}`, variant.holdout.treatment)),
              groupRow('control', goal.holdout.control),
            ],
          ),
          `  ${liftLine(goal.holdout)}`,
        ]),
  ];
};

export const audienceChecks = (audiences: AudienceFindings, people: number): DemoCheck[] => [
  {
    ok: audiences.listing.contacts.length === people && audiences.listing.repeated === 0,
    what: `GET /admin/contacts lists every contact once: ${integer(audiences.listing.contacts.length)} = ${integer(people)} people, ${integer(audiences.listing.repeated)} listed twice`,
  },
  ...audiences.counts.map((count) => ({
    ok: count.status === 'done' && count.members === count.expected && count.seen === people,
    what: `segment ${count.segment.id} counted ${integer(count.members)} = ${integer(count.expected)} from what the demo posted (count ${count.status}, ${integer(count.seen)} contacts walked)`,
  })),
];

export const campaignChecks = (campaign: CampaignFindings): DemoCheck[] => {
  const { report, orders, feedback } = campaign;
  const { total } = report;
  const audience = total.audience.treatment + total.audience.control;
  const skipped = sumOf(total.skipped);
  const perVariant = report.variants.map(
    (variant) => [variant.variant, campaign.emails.byVariant[variant.variant] ?? 0, variant.sent] as const,
  );
  const checks: DemoCheck[] = [
    {
      ok:
        campaign.validation.valid &&
        (campaign.launchStatus === 'scheduled' || campaign.launchStatus === 'sending'),
      what: `the campaign validates and launches: ${campaign.validation.valid ? 'valid' : 'not valid'}, ${campaign.launchStatus}`,
    },
    {
      ok: audience === campaign.reachable,
      what: `the frozen audience is the segment's members who may be emailed: ${integer(total.audience.treatment)} + ${integer(total.audience.control)} = ${integer(campaign.reachable)}`,
    },
    {
      ok: total.sent + skipped + total.failed + total.audience.control === audience,
      what: `sent + skipped + failed + control = audience: ${integer(total.sent)} + ${integer(skipped)} + ${integer(total.failed)} + ${integer(total.audience.control)} = ${integer(audience)}`,
    },
    {
      ok: campaign.emails.total === total.sent && perVariant.every(([, emails, sent]) => emails === sent),
      what: `campaign emails in the SES emulator = sent: ${integer(campaign.emails.total)} = ${integer(total.sent)}; ${perVariant
        .map(([variant, emails, sent]) => `${variant} ${integer(emails)} = ${integer(sent)}`)
        .join(', ')}`,
    },
    {
      ok: campaign.emails.recipients === campaign.emails.total && campaign.emails.outsideAudience === 0,
      what: `one email a reader, all in the audience: ${integer(campaign.emails.recipients)} readers for ${integer(campaign.emails.total)} emails, ${integer(campaign.emails.outsideAudience)} outside it`,
    },
    {
      ok: campaign.beforeFirstStep === 0 && campaign.early === 0,
      what: `no one got it before 10:00 in their own zone: ${integer(campaign.beforeFirstStep + campaign.early)} early`,
    },
    {
      ok:
        total.delivered === feedback.delivered &&
        total.opened === feedback.opened &&
        total.clicked === feedback.clicked,
      what: `SES feedback counted as published: delivered ${integer(total.delivered)} = ${integer(feedback.delivered)}, opened ${integer(total.opened)} = ${integer(feedback.opened)}, clicked ${integer(total.clicked)} = ${integer(feedback.clicked)}`,
    },
    {
      ok:
        total.attributed.orders === orders.afterClick.people &&
        Math.abs(total.attributed.revenue - orders.afterClick.revenue) < 0.005,
      what: `orders after a click are credited to the campaign by last click: ${integer(total.attributed.orders)} = ${integer(orders.afterClick.people)}, ${money(total.attributed.revenue)} = ${money(orders.afterClick.revenue)}`,
    },
    {
      ok: campaign.finalStatus === 'sent',
      what: `the campaign is marked sent once its last message was due: ${campaign.finalStatus}`,
    },
  ];
  const goal = report.goal;
  if (goal === null) return [...checks, { ok: false, what: 'the campaign report has no goal' }];
  const { treatment, control } = goal.holdout;
  const ordered = orders.emailed.people + orders.notEmailed.people;
  // With nothing skipped or failed, the readers without an email are exactly the control group.
  const exact = skipped + total.failed === 0;
  return [
    ...checks,
    {
      ok:
        treatment.conversions + control.conversions === ordered &&
        Math.abs(treatment.revenue + control.revenue - (orders.emailed.revenue + orders.notEmailed.revenue)) <
          0.005 &&
        (!exact ||
          (treatment.conversions === orders.emailed.people &&
            control.conversions === orders.notEmailed.people)),
      what: `the goal counts the readers the demo posted orders for: converted ${integer(treatment.conversions)} + ${integer(control.conversions)} = ${integer(orders.emailed.people)} emailed + ${integer(orders.notEmailed.people)} not, revenue ${money(treatment.revenue + control.revenue)} = ${money(orders.emailed.revenue + orders.notEmailed.revenue)}`,
    },
    {
      ok: treatment.members === total.audience.treatment && control.members === total.audience.control,
      what: `the goal's groups are the audience's: ${integer(treatment.members)} + ${integer(control.members)} = ${integer(total.audience.treatment)} + ${integer(total.audience.control)} (${percent(audience === 0 ? 0 : control.members / audience)} control)`,
    },
  ];
};
