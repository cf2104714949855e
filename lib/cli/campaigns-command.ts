import { problemsOf } from '../app/admin/problems.js';
import { CampaignDefinition } from '../domain/campaign.js';
import { isRecord } from '../domain/is-record.js';
import { AdminApiError, type AdminClient } from './admin-client.js';
import { campaignReportText } from './campaign-report-text.js';
import { readDefinitionFile } from './definition-file.js';
import { requiredArgument } from './required-argument.js';
import { formatTable } from './table.js';
import { type TerminalText, terminal, terminalJson, terminalLines } from './terminal-text.js';
import { valueText as text } from './value-text.js';

/** What `rapport campaigns …` needs from the command line around it. */
export interface CampaignsContext {
  api: () => AdminClient;
  show: (data: unknown, table: () => TerminalText) => void;
  print: (text: TerminalText) => void;
  /** A usage mistake: the caller prints it with the usage text. */
  usage: (message: string) => Error;
}

const definitionOf = (campaign: Record<string, unknown>): Record<string, unknown> =>
  isRecord(campaign.definition) ? campaign.definition : {};

const scheduleText = (schedule: unknown): string => {
  if (!isRecord(schedule)) return '';
  if (schedule.kind === 'at') return `at ${text(schedule.at)}`;
  if (schedule.kind === 'local') return `${text(schedule.date)} ${text(schedule.time)} local`;
  return 'now';
};

/** `GET /admin/campaigns` as a table, one campaign a row. */
export const campaignsTable = (data: unknown): TerminalText => {
  const campaigns = isRecord(data) && Array.isArray(data.campaigns) ? data.campaigns.filter(isRecord) : [];
  if (campaigns.length === 0) return terminal`no campaigns`;
  return formatTable(
    campaigns.map((campaign) => {
      const definition = definitionOf(campaign);
      const audience = isRecord(definition.audience) ? definition.audience : {};
      return {
        id: text(definition.id),
        name: text(definition.name),
        status: text(campaign.status),
        segment: text(audience.segmentId),
        schedule: scheduleText(definition.schedule),
        version: text(campaign.version),
        launched: text(campaign.launchedAt),
      };
    }),
  );
};

/** One campaign: its status, definition and jobs with their progress. */
export const campaignText = (data: unknown): TerminalText => {
  if (!isRecord(data)) return terminal`no campaign`;
  const definition = definitionOf(data);
  const jobs = Array.isArray(data.jobs) ? data.jobs.filter(isRecord) : [];
  return terminalLines([
    terminal`${text(definition.id)}: ${text(definition.name)} — ${text(data.status)} (version ${text(data.version)})`,
    ...(data.launchedAt === undefined ? [] : [terminal`launched ${text(data.launchedAt)}`]),
    ...(data.winner === undefined ? [] : [terminal`A/B winner: ${text(data.winner)}`]),
    terminalJson(definition),
    ...(jobs.length === 0
      ? []
      : [
          formatTable(
            jobs.map((job) => {
              const work = isRecord(job.work) ? job.work : {};
              const counts = isRecord(job.counts) ? job.counts : {};
              const pacing = isRecord(job.pacing) ? job.pacing : {};
              return {
                job: text(work.kind),
                status: text(job.status),
                seen: text(counts.seen),
                recipients: text(counts.changed),
                queued: text(pacing.queued),
                'last slot': text(pacing.lastSendAt),
                'runs after': text(job.runAfter),
              };
            }),
          ),
        ]),
  ]);
};

/** A campaign file (YAML or JSON), checked against the schema offline: the segment and templates are checked by the API. */
const readCampaignFile = (file: string) =>
  readDefinitionFile(file, (body) => {
    const parsed = CampaignDefinition.safeParse(body);
    return parsed.success ? [] : problemsOf(parsed.error);
  });

/** `rapport campaigns list | get <id> | put <file> | validate <file> | launch|pause|resume|cancel <id>`. */
export const campaignsCommand = async (
  command: string | undefined,
  rest: readonly string[],
  context: CampaignsContext,
): Promise<number> => {
  const { api, show } = context;
  const one = (what: string): string => requiredArgument(rest, what, context.usage);
  const path = (id: string, suffix = '') => `/admin/campaigns/${encodeURIComponent(id)}${suffix}`;
  switch (command) {
    case 'list': {
      const data = await api()('GET', '/admin/campaigns');
      show(data, () => campaignsTable(data));
      return 0;
    }
    case 'get': {
      const data = await api()('GET', path(one('campaign id')));
      show(data, () => campaignText(data));
      return 0;
    }
    case 'report': {
      const data = await api()('GET', path(one('campaign id'), '/report'));
      show(data, () => campaignReportText(data));
      return 0;
    }
    case 'validate': {
      const file = one('campaign file');
      const read = await readCampaignFile(file);
      if (!read.ok) {
        context.print(read.problems);
        return 1;
      }
      // The API checks what a file alone cannot: that the segment and templates exist.
      const report = await api()('POST', path(String(read.body.id), '/validate'), read.body);
      const problems =
        isRecord(report) && Array.isArray(report.problems) ? report.problems.filter(isRecord) : [];
      show(report, () =>
        problems.length === 0
          ? terminal`✓ ${file}`
          : terminal`✗ ${file}\n${formatTable(problems.map((p) => ({ path: text(p.path), problem: text(p.message) })))}`,
      );
      return problems.length === 0 ? 0 : 1;
    }
    case 'put': {
      const file = one('campaign file');
      const read = await readCampaignFile(file);
      if (!read.ok) {
        context.print(read.problems);
        return 1;
      }
      const data = await api()('PUT', path(String(read.body.id)), read.body);
      show(
        data,
        () =>
          terminal`✓ ${text(read.body.id)} stored as a draft (version ${isRecord(data) ? text(data.version) : ''})`,
      );
      return 0;
    }
    case 'launch':
    case 'pause':
    case 'resume':
    case 'cancel': {
      const id = one('campaign id');
      try {
        const data = await api()('POST', path(id, `/${command}`), {});
        show(data, () => terminal`${id}: ${isRecord(data) ? text(data.status) : ''}`);
        return 0;
      } catch (error) {
        if (error instanceof AdminApiError && error.status === 409) {
          context.print(terminal`✗ ${id}: ${error.message}`);
          return 1;
        }
        throw error;
      }
    }
    default:
      throw context.usage(`unknown command "campaigns ${command ?? ''}"`);
  }
};
