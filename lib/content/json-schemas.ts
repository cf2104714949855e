import { z } from 'zod';
import { SegmentDefinition } from '../domain/audience-segment.js';
import { EmailTemplate } from '../domain/email-template.js';
import { JourneyDefinition } from '../domain/journey-definition.js';
import { relativeDateOperatorSchemas } from '../domain/segment-condition.js';

/**
 * A segment's condition as an editor can help with it: each field takes a value
 * or an object of operators, and the date operators' operands are checked.
 * The rest of the language (paths, `$and`, `$in`, …) is checked by
 * `rapport segments validate`.
 */
const segmentConditionSchema = {
  type: 'object',
  description:
    'MongoDB-style conditions over { contact }: contact.customer.tier, contact.topics, contact.consent.email.status, …; dates also take $within, $before and $after, relative to when the segment is evaluated.',
  minProperties: 1,
  additionalProperties: {
    anyOf: [
      { type: 'object', properties: relativeDateOperatorSchemas },
      { type: ['string', 'number', 'boolean', 'null', 'array'] },
    ],
  },
};

const segmentSchema = () => {
  const generated = z.toJSONSchema(SegmentDefinition, { io: 'input', unrepresentable: 'any' });
  const properties = typeof generated.properties === 'object' ? generated.properties : {};
  return {
    title: 'Rapport segment',
    ...generated,
    properties: { ...properties, condition: segmentConditionSchema },
  };
};

/**
 * JSON Schemas for the YAML files people edit, so editors validate and complete
 * them (`# yaml-language-server: $schema=…` at the top of a file). Generated from
 * the zod schemas; the cross-node rules (unknown or unreachable nodes, loops)
 * are checked by `rapport journeys validate`, not by the editor.
 */
export const jsonSchemas = (): Record<string, unknown> => ({
  'journey.schema.json': {
    title: 'Rapport journey',
    ...z.toJSONSchema(JourneyDefinition, { io: 'input', unrepresentable: 'any' }),
  },
  'email-template.schema.json': {
    title: 'Rapport email template',
    ...z.toJSONSchema(EmailTemplate, { io: 'input', unrepresentable: 'any' }),
  },
  'segment.schema.json': segmentSchema(),
});

export const schemaFolder = 'docs/schema';
