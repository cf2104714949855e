import { fileURLToPath } from 'node:url';
import { loadContent } from '../../../../lib/content/load-content.js';
import type { DeliveryPolicy } from '../../../../lib/domain/delivery-policy.js';
import type { EmailTemplate } from '../../../../lib/domain/email-template.js';
import type { JourneyDefinition } from '../../../../lib/domain/journey-definition.js';
import type { SimulationResult, TimelineEntry } from '../../../../lib/domain/simulate.js';
import {
  type SimulationInput,
  type SimulationSources,
  simulate,
} from '../../../../lib/simulation/simulate.js';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

/** A journey from journeys/, loaded the way `npm start` loads it (which also checks its templates exist). */
export const shippedJourney = async (id: string): Promise<JourneyDefinition> => {
  const { journeys } = await loadContent(repoRoot);
  const journey = journeys.find((candidate) => candidate.id === id);
  if (journey === undefined) throw new Error(`journeys/ has no journey ${id}`);
  return journey;
};

export const at = (iso: string): Date => new Date(iso);

/** A plain marketing email for any template id, its subject naming it, for journeys not shipped in templates/. */
export const plainTemplate = (id: string): EmailTemplate => ({
  id,
  kind: 'marketing',
  subject: `About ${id}, {{ contact.name | default: "reader" }}`,
  text: `Hello {{ contact.name | default: "reader" }}, this is ${id}.`,
  mjml: `<mj-text>Hello {{ contact.name | default: "reader" }}, this is ${id}.</mj-text>`,
});

let shipped: Promise<Map<string, EmailTemplate>> | undefined;
/** The templates of templates/, as `npm start` publishes them. */
export const shippedTemplates = (): Promise<Map<string, EmailTemplate>> => {
  shipped ??= loadContent(repoRoot).then(
    ({ templates }) => new Map(templates.map((template) => [template.id, template])),
  );
  return shipped;
};

export interface SimulationCase extends SimulationInput {
  policy?: DeliveryPolicy;
  defaultTimeZone?: string;
  /** Where templates come from: the shipped ones (default), or a plain one for every id. */
  templates?: 'shipped' | 'plain';
  catalog?: SimulationSources['catalog'];
  coPurchases?: SimulationSources['coPurchases'];
}

/** Runs a case the way the simulate API does, with the shipped templates unless told otherwise. */
export const simulateCase = async (input: SimulationCase): Promise<SimulationResult> => {
  const { policy, defaultTimeZone, templates = 'shipped', catalog, coPurchases, ...rest } = input;
  const library = templates === 'shipped' ? await shippedTemplates() : undefined;
  return simulate(rest, {
    template: async (id) => (library === undefined ? plainTemplate(id) : library.get(id)),
    ...(policy === undefined ? {} : { policy }),
    ...(defaultTimeZone === undefined ? {} : { defaultTimeZone }),
    ...(catalog === undefined ? {} : { catalog }),
    ...(coPurchases === undefined ? {} : { coPurchases }),
  });
};

/** One short line per entry, so a whole timeline reads in an assertion: `<time> <kind> <what>`. */
export const brief = (timeline: readonly TimelineEntry[]): string[] =>
  timeline.map((entry) => {
    const time = entry.at.slice(0, 16);
    switch (entry.kind) {
      case 'entered':
        return `${time} entered${entry.group === 'control' ? ' (control)' : ''}`;
      case 'not-entered':
        return `${time} not-entered: ${entry.reason}`;
      case 'waiting':
        return `${time} waiting at ${entry.node} until ${entry.until.slice(0, 16)}`;
      case 'sent':
        return `${time} sent ${entry.channel} ${entry.template}`;
      case 'skipped':
        return `${time} skipped ${entry.channel} ${entry.template}: ${entry.reason}`;
      case 'deferred':
        return `${time} deferred ${entry.channel} ${entry.template} until ${entry.until.slice(0, 16)}: ${entry.reason}`;
      case 'goal':
        return `${time} goal`;
      case 'exited':
        return `${time} exited: ${entry.reason}`;
      case 'completed':
        return `${time} completed`;
      case 'updated':
        return `${time} updated ${entry.changed.join(',')}`;
      case 'emitted':
        return `${time} emitted ${entry.detailType}`;
      case 'failed':
        return `${time} failed${entry.node === undefined ? '' : ` at ${entry.node}`}: ${entry.reason}`;
      default: {
        const unknownEntry: never = entry;
        throw new Error(`unknown entry ${JSON.stringify(unknownEntry)}`);
      }
    }
  });

/** Just the messages that went out: `<time> <template>`. */
export const sent = (timeline: readonly TimelineEntry[]): string[] =>
  timeline.flatMap((entry) => (entry.kind === 'sent' ? [`${entry.at.slice(0, 16)} ${entry.template}`] : []));
