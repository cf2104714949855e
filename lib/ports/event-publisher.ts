export interface EventToPublish {
  /** EventBridge's `Source`: what rules in the user's account match on first. */
  source: string;
  /** EventBridge's `DetailType`. */
  detailType: string;
  /** EventBridge's `Detail`, sent as JSON. */
  detail: Record<string, unknown>;
  /** When it happened; a retried publish keeps the original time instead of the time of the call. */
  time: Date;
}

/**
 * Puts one event on the event bus. Throws EventTooLargeError when the event
 * exceeds what the bus takes (nothing is sent), and EventEntryFailedError when
 * the bus answers but refuses the entry.
 */
export interface EventPublisher {
  publish(event: EventToPublish): Promise<{ providerEventId: string }>;
}
