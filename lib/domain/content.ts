import type { SegmentDefinition } from './audience-segment.js';
import type { DeliveryPolicy } from './delivery-policy.js';
import type { EmailTemplate } from './email-template.js';
import type { JourneyDefinition } from './journey-definition.js';

/** What the repository publishes: journeys/, templates/ and delivery-policy.yaml, read and checked. */
export interface Content {
  journeys: JourneyDefinition[];
  templates: EmailTemplate[];
  /** segments/: created at deploy where absent, never overwriting a marketer's edit. */
  segments: SegmentDefinition[];
  /** `delivery-policy.yaml` at the root; undefined when there is none (nothing is held back). */
  deliveryPolicy?: DeliveryPolicy;
}
