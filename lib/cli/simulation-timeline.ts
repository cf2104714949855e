import { DateTime } from 'luxon';
import type { NotEnteredReason, SendDetails, TimelineEntry } from '../domain/simulate.js';
import { formatTable } from './table.js';
import type { TerminalText } from './terminal-text.js';

const notEnteredText: Record<NotEnteredReason, string> = {
  'trigger-condition': 'the trigger condition did not match',
  'entry-condition': 'the entry condition did not match',
  'already-entered': 'entered before, and reentry is never',
  'cooling-down': 'entered within the reentry cooldown',
  'already-active': 'already in the journey, and concurrent is false',
  'already-started': 'the same event started an enrollment already',
  'item-condition': "the list element did not match the trigger's for_each condition",
  'no-items': "the trigger's for_each list was missing or empty",
};

const sendText = (entry: SendDetails): string => `${entry.channel} ${entry.template} (node ${entry.node})`;

const detailOf = (entry: TimelineEntry, time: (iso: string) => string): string => {
  switch (entry.kind) {
    case 'entered':
      return entry.group === 'control' ? 'control group: tracked, sent nothing' : '';
    case 'not-entered':
      return `event ${entry.eventId}: ${notEnteredText[entry.reason]}`;
    case 'waiting':
      return `at ${entry.node} until ${time(entry.until)}${entry.event === undefined ? '' : `, or a ${entry.event} event`}`;
    case 'sent': {
      const read = entry.subject ?? entry.text;
      return read === undefined ? sendText(entry) : `${sendText(entry)}: "${read}"`;
    }
    case 'skipped':
      return `${sendText(entry)}: ${entry.reason}`;
    case 'deferred':
      return `${sendText(entry)} until ${time(entry.until)}: ${entry.reason}`;
    case 'failed':
      return entry.node === undefined ? entry.reason : `node ${entry.node}: ${entry.reason}`;
    case 'goal':
      return 'reached the goal';
    case 'exited':
      return entry.reason;
    case 'completed':
      return 'reached the end';
    case 'updated':
      return `set ${entry.changed.join(', ')} (node ${entry.node})`;
    case 'emitted':
      return `${entry.detailType} (node ${entry.node})`;
    default: {
      const unknownEntry: never = entry;
      throw new Error(`unknown timeline entry ${JSON.stringify(unknownEntry)}`);
    }
  }
};

/** A simulation's timeline as a table for the terminal, times in the contact's zone (UTC by default). */
export const formatTimeline = (
  entries: readonly TimelineEntry[],
  options: { timeZone?: string } = {},
): TerminalText => {
  const zone = options.timeZone ?? 'UTC';
  const time = (iso: string): string => {
    const local = DateTime.fromISO(iso, { zone });
    return (local.isValid ? local : DateTime.fromISO(iso, { zone: 'UTC' })).toFormat('yyyy-LL-dd HH:mm ZZZZ');
  };
  return formatTable(
    entries.map((entry) => ({
      time: time(entry.at),
      kind: entry.kind,
      enrollment: 'enrollmentId' in entry ? entry.enrollmentId : '',
      what: detailOf(entry, time),
    })),
    ['time', 'kind', 'enrollment', 'what'],
  );
};
