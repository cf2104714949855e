/** EventBridge's ceiling for one PutEvents entry: 256 KB. */
export const maxEntryBytes = 256 * 1024;

/** The parts of a PutEvents entry that count against the limit. */
export interface SizedEntry {
  Source?: string;
  DetailType?: string;
  Detail?: string;
  Time?: Date;
  Resources?: string[];
}

const utf8Bytes = (text: string): number => Buffer.byteLength(text, 'utf8');

/**
 * An entry's size as EventBridge counts it against the limit ("Calculating PutEvents
 * event entry size"): 14 bytes for a Time, and the UTF-8 bytes of Source, DetailType,
 * Detail and each resource. Counted here so a too-large event is refused before the call.
 */
export const entrySizeBytes = (entry: SizedEntry): number =>
  (entry.Time === undefined ? 0 : 14) +
  utf8Bytes(entry.Source ?? '') +
  utf8Bytes(entry.DetailType ?? '') +
  utf8Bytes(entry.Detail ?? '') +
  (entry.Resources ?? []).reduce((sum, resource) => sum + utf8Bytes(resource), 0);
