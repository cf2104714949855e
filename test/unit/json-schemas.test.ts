import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonSchemas, schemaFolder } from '../../lib/content/json-schemas.js';

describe('the JSON Schemas editors use', () => {
  it.each(Object.entries(jsonSchemas()))(
    '%s is committed as generated (run npm run schemas)',
    async (name, schema) => {
      const committed = JSON.parse(await readFile(join(schemaFolder, name), 'utf8'));
      expect(committed).toEqual(JSON.parse(JSON.stringify(schema)));
    },
  );

  it('describes every node type', () => {
    const text = JSON.stringify(jsonSchemas()['journey.schema.json']);
    for (const type of ['wait', 'wait_for_event', 'branch', 'split', 'send_email', 'send_sms', 'exit']) {
      expect(text).toContain(`"const":"${type}"`);
    }
  });

  it('checks the date operators of a segment condition', () => {
    const text = JSON.stringify(jsonSchemas()['segment.schema.json']);
    for (const operator of ['$within', '$before', '$after'])
      expect(text).toContain(`"${operator}":{"type":"string"`);
  });
});
