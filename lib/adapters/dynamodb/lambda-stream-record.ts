import type {
  AttributeValue as SdkAttributeValue,
  _Record as SdkRecord,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord, AttributeValue as LambdaAttributeValue } from 'aws-lambda';

/**
 * A DynamoDB Streams record as the SDK reads it, made into the record Lambda hands
 * a function: what the local runtime's pollers deliver, and what the dead-letter
 * intake keeps of a failed batch it reads back from the stream.
 */

export class UnknownAttributeTypeError extends Error {
  override readonly name = 'UnknownAttributeTypeError';
}

const toLambdaAttribute = (value: SdkAttributeValue): LambdaAttributeValue => {
  if (value.S !== undefined) return { S: value.S };
  if (value.N !== undefined) return { N: value.N };
  if (value.BOOL !== undefined) return { BOOL: value.BOOL };
  if (value.NULL !== undefined) return { NULL: value.NULL };
  // Lambda delivers binary as base64 text, the way DynamoDB JSON carries it.
  if (value.B !== undefined) return { B: Buffer.from(value.B).toString('base64') };
  if (value.SS !== undefined) return { SS: value.SS };
  if (value.NS !== undefined) return { NS: value.NS };
  if (value.BS !== undefined) return { BS: value.BS.map((item) => Buffer.from(item).toString('base64')) };
  if (value.L !== undefined) return { L: value.L.map(toLambdaAttribute) };
  if (value.M !== undefined) return { M: toLambdaImage(value.M) };
  // The Streams SDK reads an empty map (`{"M":{}}`) as `{}`; an empty list stays `{ L: [] }`.
  if (Object.keys(value).length === 0) return { M: {} };
  throw new UnknownAttributeTypeError(
    `stream record holds an attribute of unknown type: ${JSON.stringify(value)}`,
  );
};

const toLambdaImage = (
  image: Record<string, SdkAttributeValue> | undefined,
): Record<string, LambdaAttributeValue> =>
  Object.fromEntries(Object.entries(image ?? {}).map(([name, value]) => [name, toLambdaAttribute(value)]));

/** An SDK stream record in the shape Lambda hands a function (`DynamoDBStreamEvent.Records[n]`). */
export const toLambdaRecord = (record: SdkRecord, streamArn: string, region: string): DynamoDBRecord => {
  const data = record.dynamodb;
  const created = data?.ApproximateCreationDateTime;
  return {
    eventID: record.eventID,
    eventName: record.eventName,
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: region,
    eventSourceARN: streamArn,
    dynamodb: {
      ...(created === undefined ? {} : { ApproximateCreationDateTime: Math.floor(created.getTime() / 1000) }),
      Keys: toLambdaImage(data?.Keys),
      ...(data?.NewImage === undefined ? {} : { NewImage: toLambdaImage(data.NewImage) }),
      ...(data?.OldImage === undefined ? {} : { OldImage: toLambdaImage(data.OldImage) }),
      SequenceNumber: data?.SequenceNumber,
      SizeBytes: data?.SizeBytes,
      StreamViewType: data?.StreamViewType,
    },
    ...(record.userIdentity === undefined
      ? {}
      : {
          userIdentity: { type: record.userIdentity.Type, principalId: record.userIdentity.PrincipalId },
        }),
  };
};
