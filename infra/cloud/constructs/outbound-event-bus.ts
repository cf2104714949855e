import * as events from 'aws-cdk-lib/aws-events';
import type * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

export interface OutboundEventBusProps {
  /** From the `rapport:eventBusName` context key. */
  eventBusName: string;
}

/**
 * The custom event bus the events journeys emit go to. The rules that route
 * them (to a CRM, a queue, a data lake) belong to whoever consumes them, so none
 * are created here. Other systems put purchase events on the same bus; the rule
 * that hands those to ingestion is BusRules' (it leaves out Rapport's own source).
 */
export class OutboundEventBus extends Construct {
  readonly bus: events.EventBus;

  constructor(scope: Construct, id: string, props: OutboundEventBusProps) {
    super(scope, id);
    this.bus = new events.EventBus(this, 'Bus', {
      eventBusName: props.eventBusName,
      description:
        'Events emitted by Rapport journeys (source rapport.journeys); consumers dedupe on detail.eventId.',
    });
  }

  /** PutEvents on this bus only. */
  grantPutEventsTo(grantee: iam.IGrantable): void {
    this.bus.grantPutEventsTo(grantee);
  }
}
