import { z } from 'zod';

/**
 * An event another system put on Rapport's EventBridge bus, as EventBridge hands
 * it to a rule's target, and the Segment call it stands for. The bus is how AWS
 * services in the same account (an order service, a Step Functions workflow, a
 * partner integration) report purchases without an API key: `detail-type` names
 * the call (`Order Completed`, `Order Refunded`, `Product Viewed`, or `Identify`)
 * and `detail` carries what a Segment call would.
 */

/** The envelope EventBridge delivers to a target (https://docs.aws.amazon.com/eventbridge/latest/ref/overiew-event-structure.html). */
export const BusEvent = z.object({
  id: z.string().min(1),
  source: z.string().min(1),
  'detail-type': z.string().min(1),
  time: z.string().min(1),
  /** EventBridge only accepts a JSON object as Detail. */
  detail: z.record(z.string(), z.unknown()),
});
export type BusEvent = z.infer<typeof BusEvent>;

/** What arrived is not an EventBridge event (a test invoke from the console, a misconfigured target). */
export class InvalidBusEventError extends Error {
  override readonly name = 'InvalidBusEventError';
}

export const parseBusEvent = (raw: unknown): BusEvent => {
  const parsed = BusEvent.safeParse(raw);
  if (!parsed.success) {
    throw new InvalidBusEventError(`not an EventBridge event: ${z.prettifyError(parsed.error)}`, {
      cause: parsed.error,
    });
  }
  return parsed.data;
};

/** The detail-type that means a Segment identify call; every other one is a track call of that name. */
export const identifyDetailType = 'Identify';

/** The detail-types the bus rule routes to ingestion: the calls that change the customer database. */
export const ingestedDetailTypes = [
  'Order Completed',
  'Order Refunded',
  'Product Viewed',
  identifyDetailType,
] as const;

/** The detail fields a call carries over; anything else in `detail` is dropped. */
const carried = ['userId', 'email', 'context'] as const;

/**
 * The Segment call an event on the bus stands for. `detail.messageId` defaults
 * to the EventBridge event's id, which EventBridge keeps when it retries a
 * delivery, and `detail.timestamp` to the event's `time`. Nothing is checked
 * here beyond the envelope: the call goes through the same validation as one
 * posted to the API, which names each bad field.
 */
export const segmentCallOf = (event: BusEvent): Record<string, unknown> => {
  const { detail } = event;
  const identity = Object.fromEntries(
    carried.flatMap((field) => (detail[field] === undefined ? [] : [[field, detail[field]]])),
  );
  const envelope = {
    ...identity,
    messageId: detail.messageId ?? event.id,
    timestamp: detail.timestamp ?? event.time,
  };
  return event['detail-type'] === identifyDetailType
    ? { type: 'identify', ...envelope, traits: detail.traits ?? {} }
    : { type: 'track', event: event['detail-type'], ...envelope, properties: detail.properties ?? {} };
};
