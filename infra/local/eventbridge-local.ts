import { randomUUID } from 'node:crypto';
import type { EventBridgeEvent } from 'aws-lambda';
import { z } from 'zod';
import type { FilterPattern } from '../topology.js';
import { AwsFault, startAwsStandIn } from './aws-stand-in.js';
import { compileFilters } from './filter-pattern.js';
import { localAccountId } from './lambda-invoke.js';

/** One event the local endpoint accepted: what EventBridge would have matched against the bus's rules. */
export interface RecordedEvent {
  eventId: string;
  eventBusName: string;
  source: string;
  detailType: string;
  detail: Record<string, unknown>;
  resources: string[];
  /** The entry's Time, else when it was put; ISO 8601 to the second, as EventBridge stamps events. */
  time: string;
  /** ISO 8601 time it was accepted. */
  at: string;
  /** The rules whose pattern it matched, and whose targets it was handed to. */
  matchedRules: string[];
}

/** An event as EventBridge hands it to a rule's target. */
export type TargetEvent = EventBridgeEvent<string, Record<string, unknown>>;

/** A rule on one bus: events that match `pattern` go to `target`. */
export interface LocalRule {
  name: string;
  eventBusName: string;
  /** EventBridge's event pattern syntax, matched against the event as the target receives it. */
  pattern: FilterPattern;
  /**
   * Called with each matching event once PutEvents accepted it, before the call is
   * answered, and not waited for: as in EventBridge, delivery is asynchronous and
   * the target owns its retries.
   */
  target: (event: TargetEvent) => void;
}

export interface EventBridgeLocal {
  endpoint: string;
  events(): RecordedEvent[];
  /** Throws InvalidFilterPatternError for a pattern EventBridge would refuse. */
  addRule(rule: LocalRule): void;
  stop(): Promise<void>;
}

const putEventsTarget = 'AWSEvents.PutEvents';
const jsonType = 'application/x-amz-json-1.1';
/** EventBridge's limits: ten entries per call, 256 KB for all of them together. */
const maxEntries = 10;
const maxRequestEntryBytes = 256 * 1024;

/** The request as the JSON 1.1 protocol carries it (timestamps as epoch seconds); fields are checked one by one below. */
const PutEventsRequest = z.object({
  Entries: z
    .array(
      z.object({
        Source: z.string().optional(),
        DetailType: z.string().optional(),
        Detail: z.string().optional(),
        EventBusName: z.string().optional(),
        Resources: z.array(z.string()).optional(),
        Time: z.number().optional(),
        TraceHeader: z.string().optional(),
      }),
    )
    .optional(),
  EndpointId: z.string().optional(),
});
type PutEventsEntry = NonNullable<z.infer<typeof PutEventsRequest>['Entries']>[number];

type EntryResult = { EventId: string } | { ErrorCode: string; ErrorMessage: string };

/** A refusal of the whole call, as opposed to a failed entry reported in the answer. */
const validation = (message: string): AwsFault => new AwsFault(400, 'ValidationException', message);

const utf8Bytes = (text: string): number => Buffer.byteLength(text, 'utf8');

/** EventBridge's count ("Calculating PutEvents event entry size"), kept apart from the adapter's so each checks the other. */
const entryBytes = (entry: PutEventsEntry): number =>
  (entry.Time === undefined ? 0 : 14) +
  utf8Bytes(entry.Source ?? '') +
  utf8Bytes(entry.DetailType ?? '') +
  utf8Bytes(entry.Detail ?? '') +
  (entry.Resources ?? []).reduce((sum, resource) => sum + utf8Bytes(resource), 0);

const invalidArgument = (field: string): EntryResult => ({
  ErrorCode: 'InvalidArgument',
  ErrorMessage: `Parameter ${field} is not valid. Reason: ${field} is a required argument.`,
});

const parseObject = (text: string): Record<string, unknown> | undefined => {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value))
      : undefined;
  } catch {
    return undefined;
  }
};

/** `arn:aws:events:eu-west-1:123456789012:event-bus/rapport` and `rapport` name the same bus. */
const busNameOf = (nameOrArn: string | undefined): string =>
  nameOrArn === undefined || nameOrArn === '' ? 'default' : (nameOrArn.split(':event-bus/')[1] ?? nameOrArn);

const describe = (event: RecordedEvent): string =>
  `[event] ${event.source} · ${event.detailType} → bus ${event.eventBusName}${event.matchedRules.map((rule) => ` → rule ${rule}`).join('')} (${event.eventId})\n${JSON.stringify(event.detail)}`;

/**
 * A stand-in for EventBridge's PutEvents, speaking the JSON 1.1 protocol the v3 SDK
 * uses, so the real EventBridgePublisher runs unchanged against it. It validates
 * entries as EventBridge does (a failed entry is reported in the answer, a bad call
 * is refused whole), records what was accepted (listed as JSON at `GET /events`),
 * and hands each accepted event to the targets of the rules on its bus whose
 * pattern it matches (`addRule`).
 */
export const startEventBridgeLocal = async (options: {
  port: number;
  host?: string;
  quiet?: boolean;
  /** Buses that exist besides `default`; an entry for any other fails as EventBridge fails it. */
  eventBusNames?: readonly string[];
  /** Stamped on the events targets receive. Default us-east-1. */
  region?: string;
}): Promise<EventBridgeLocal> => {
  const recorded: RecordedEvent[] = [];
  const buses = new Set(['default', ...(options.eventBusNames ?? [])]);
  const rules: Array<LocalRule & { matches: (event: unknown) => boolean }> = [];
  const region = options.region ?? 'us-east-1';
  const print = options.quiet === true ? () => undefined : (line: string) => console.log(line);

  const targetEvent = (event: RecordedEvent): TargetEvent => ({
    version: '0',
    id: event.eventId,
    'detail-type': event.detailType,
    source: event.source,
    account: localAccountId,
    time: event.time,
    region,
    resources: [...event.resources],
    detail: structuredClone(event.detail),
  });

  /** Each matching rule's target gets its own copy, so one cannot change what another sees. */
  const route = (event: RecordedEvent): void => {
    const matched = rules.filter(
      (rule) => rule.eventBusName === event.eventBusName && rule.matches(targetEvent(event)),
    );
    event.matchedRules.push(...matched.map((rule) => rule.name));
    print(describe(event));
    for (const rule of matched) rule.target(targetEvent(event));
  };

  const putEntry = (entry: PutEventsEntry, now: Date): EntryResult => {
    if (entry.Source === undefined || entry.Source === '') return invalidArgument('Source');
    if (entry.DetailType === undefined || entry.DetailType === '') return invalidArgument('DetailType');
    if (entry.Detail === undefined || entry.Detail === '') return invalidArgument('Detail');
    const detail = parseObject(entry.Detail);
    if (detail === undefined) return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
    const eventBusName = busNameOf(entry.EventBusName);
    if (!buses.has(eventBusName)) {
      return {
        ErrorCode: 'ResourceNotFoundException',
        ErrorMessage: `Event bus ${eventBusName} does not exist.`,
      };
    }
    const time = entry.Time === undefined ? now : new Date(entry.Time * 1000);
    const event: RecordedEvent = {
      eventId: randomUUID(),
      eventBusName,
      source: entry.Source,
      detailType: entry.DetailType,
      detail,
      resources: entry.Resources ?? [],
      time: `${time.toISOString().slice(0, 19)}Z`,
      at: now.toISOString(),
      matchedRules: [],
    };
    recorded.push(event);
    route(event);
    return { EventId: event.eventId };
  };

  const putEvents = (body: string): { FailedEntryCount: number; Entries: EntryResult[] } => {
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      throw new AwsFault(400, 'SerializationException', 'the request body is not JSON');
    }
    const request = PutEventsRequest.safeParse(json);
    if (!request.success) throw new AwsFault(400, 'SerializationException', request.error.message);
    const entries = request.data.Entries;
    if (entries === undefined)
      throw validation(
        "1 validation error detected: Value null at 'entries' failed to satisfy constraint: Member must not be null",
      );
    if (entries.length < 1 || entries.length > maxEntries)
      throw validation(
        `1 validation error detected: Value '[PutEventsRequestEntry]' at 'entries' failed to satisfy constraint: Member must have length ${entries.length < 1 ? 'greater than or equal to 1' : `less than or equal to ${maxEntries}`}`,
      );
    if (entries.reduce((sum, entry) => sum + entryBytes(entry), 0) > maxRequestEntryBytes)
      throw validation('Total size of the entries in the request is over the limit.');
    const now = new Date();
    const results = entries.map((entry) => putEntry(entry, now));
    return { FailedEntryCount: results.filter((result) => 'ErrorCode' in result).length, Entries: results };
  };

  const standIn = await startAwsStandIn({
    port: options.port,
    host: options.host,
    listPath: '/events',
    listed: () => recorded,
    usage: 'POST EventBridge JSON 1.1 actions to /, or GET /events\n',
    answer: (body, request) => {
      const target = request.headers['x-amz-target'];
      if (target !== putEventsTarget) {
        throw new AwsFault(
          400,
          'UnknownOperationException',
          `The action ${String(target ?? '(none)')} is not valid for this endpoint.`,
        );
      }
      return { status: 200, contentType: jsonType, body: JSON.stringify(putEvents(body)) };
    },
    refuse: (fault) => ({
      status: fault.status,
      contentType: jsonType,
      headers: { 'x-amzn-errortype': fault.code },
      body: JSON.stringify({ __type: fault.code, message: fault.message }),
    }),
    internalErrorCode: 'InternalException',
  });

  return {
    endpoint: standIn.endpoint,
    events: () =>
      recorded.map((event) => ({
        ...event,
        detail: structuredClone(event.detail),
        resources: [...event.resources],
        matchedRules: [...event.matchedRules],
      })),
    addRule: (rule) => {
      rules.push({ ...rule, matches: compileFilters([rule.pattern]) });
    },
    stop: () => standIn.stop(),
  };
};
