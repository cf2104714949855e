import type { AttributeValue as SdkAttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord, AttributeValue as LambdaAttributeValue } from 'aws-lambda';
import { ContactEvent } from '../../domain/contact-event.js';
import { UnprocessableRecordError } from '../../domain/errors.js';
import { eventFromItem } from './items.js';
import { keys } from './keys.js';

/** A stream record the handler cannot use: retrying reads the same bytes, so it is dead-lettered at once. */
export class UndecodableRecordError extends UnprocessableRecordError {
  override readonly name = 'UndecodableRecordError';
}

/** The event an INSERT of an EV# item carries. */
export const decodeContactEvent = (record: DynamoDBRecord): ContactEvent => {
  const image = record.dynamodb?.NewImage;
  if (image === undefined)
    throw new UndecodableRecordError(`record ${record.eventID ?? '?'} has no new image`);
  const item = unmarshallImage(image, record);
  if (item.type !== 'event') {
    throw new UndecodableRecordError(
      `record ${record.eventID ?? '?'} holds a ${String(item.type)} item, not an event`,
    );
  }
  const parsed = ContactEvent.safeParse(eventFromItem(item));
  if (!parsed.success) {
    throw new UndecodableRecordError(
      `record ${record.eventID ?? '?'} is no contact event: ${parsed.error.message}`,
    );
  }
  return parsed.data;
};

const contactPrefix = keys.contact('').PK;

/**
 * The contact and the rest of the sort key of an item in a contact's partition
 * whose sort key starts with `prefix`; `what` names the item in errors.
 */
const decodeContactItemRef = (
  record: DynamoDBRecord,
  prefix: string,
  what: string,
): { contactId: string; rest: string } => {
  const pk = record.dynamodb?.Keys?.PK?.S;
  const sk = record.dynamodb?.Keys?.SK?.S;
  if (pk === undefined || sk === undefined || !pk.startsWith(contactPrefix) || !sk.startsWith(prefix)) {
    throw new UndecodableRecordError(
      `record ${record.eventID ?? '?'} has no ${what} keys (PK ${pk ?? 'missing'}, SK ${sk ?? 'missing'})`,
    );
  }
  const contactId = pk.slice(contactPrefix.length);
  const rest = sk.slice(prefix.length);
  if (contactId === '' || rest === '') {
    throw new UndecodableRecordError(`record ${record.eventID ?? '?'} has empty ${what} keys`);
  }
  return { contactId, rest };
};

/** The message a stream record of a MSG# item points at; the handler reads the item itself. */
export const decodeMessageRef = (record: DynamoDBRecord): { contactId: string; key: string } => {
  const { contactId, rest } = decodeContactItemRef(record, keys.messagePrefix, 'message');
  return { contactId, key: rest };
};

/** The outbound event a stream record of an OUT# item points at; the handler reads the item itself. */
export const decodeOutboundEventRef = (record: DynamoDBRecord): { contactId: string; id: string } => {
  const { contactId, rest } = decodeContactItemRef(record, keys.outboundEventPrefix, 'outbound event');
  return { contactId, id: rest };
};

const unmarshallImage = (
  image: Record<string, LambdaAttributeValue>,
  record: DynamoDBRecord,
): Record<string, unknown> => {
  try {
    return unmarshall(toSdkMap(image));
  } catch (error) {
    if (error instanceof UndecodableRecordError) throw error;
    throw new UndecodableRecordError(
      `record ${record.eventID ?? '?'} has an unreadable image: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
};

const toSdkMap = (map: Record<string, LambdaAttributeValue>): Record<string, SdkAttributeValue> =>
  Object.fromEntries(Object.entries(map).map(([name, value]) => [name, toSdk(value)]));

/**
 * Lambda's event types describe the stream JSON (binary as base64 text); the SDK's
 * unmarshall wants its own union (binary as bytes). Same data, different types.
 */
const toSdk = (value: LambdaAttributeValue): SdkAttributeValue => {
  if (value.S !== undefined) return { S: value.S };
  if (value.N !== undefined) return { N: value.N };
  if (value.BOOL !== undefined) return { BOOL: value.BOOL };
  if (value.NULL !== undefined) return { NULL: value.NULL };
  if (value.M !== undefined) return { M: toSdkMap(value.M) };
  if (value.L !== undefined) return { L: value.L.map(toSdk) };
  if (value.SS !== undefined) return { SS: value.SS };
  if (value.NS !== undefined) return { NS: value.NS };
  if (value.B !== undefined) return { B: Buffer.from(value.B, 'base64') };
  if (value.BS !== undefined) return { BS: value.BS.map((bytes) => Buffer.from(bytes, 'base64')) };
  throw new UndecodableRecordError(`unknown attribute value ${JSON.stringify(value)}`);
};
