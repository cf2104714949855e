import { z } from 'zod';
import { EmailTemplate } from '../domain/email-template.js';
import { JourneyDefinition } from '../domain/journey-definition.js';

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
});

export const schemaFolder = 'docs/schema';
