import { fileURLToPath } from 'node:url';
import { loadContent } from '../../../../lib/content/load-content.js';
import type { JourneyDefinition } from '../../../../lib/domain/journey-definition.js';
import type { TimelineEntry } from '../../../../lib/domain/simulate.js';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

/** A journey from journeys/, loaded the way `npm start` loads it (which also checks its templates exist). */
export const shippedJourney = async (id: string): Promise<JourneyDefinition> => {
  const { journeys } = await loadContent(repoRoot);
  const journey = journeys.find((candidate) => candidate.id === id);
  if (journey === undefined) throw new Error(`journeys/ has no journey ${id}`);
  return journey;
};

export const at = (iso: string): Date => new Date(iso);

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
      default: {
        const unknownEntry: never = entry;
        throw new Error(`unknown entry ${JSON.stringify(unknownEntry)}`);
      }
    }
  });

/** Just the messages that went out: `<time> <template>`. */
export const sent = (timeline: readonly TimelineEntry[]): string[] =>
  timeline.flatMap((entry) => (entry.kind === 'sent' ? [`${entry.at.slice(0, 16)} ${entry.template}`] : []));
