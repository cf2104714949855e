import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoTemplateStore } from '../../../lib/adapters/dynamodb/dynamo-template-store.js';
import type { EmailTemplate } from '../../../lib/domain/email-template.js';
import { createTestTable } from '../support/table.js';

let templates: DynamoTemplateStore;

beforeEach(async () => {
  const { documentClient, tableName } = await createTestTable();
  templates = new DynamoTemplateStore(documentClient, tableName);
});

const welcome: EmailTemplate = {
  id: 'welcome',
  kind: 'marketing',
  subject: 'Welcome, {{ contact.name }}',
  text: 'Hello {{ contact.name }}',
  mjml: '<mj-text>Hello {{ contact.name }}</mj-text>',
};

const at = new Date('2026-11-01T09:00:00.000Z');

describe('the DynamoDB template store', () => {
  it('knows no template before one is published', async () => {
    expect(await templates.get('welcome')).toBeUndefined();
  });

  describe('when templates are published', () => {
    it('numbers versions and serves the latest', async () => {
      expect(await templates.publish(welcome, at)).toEqual({ version: 1 });
      const reworded = { ...welcome, subject: 'Glad you are here, {{ contact.name }}', preheader: 'Hi' };

      expect(await templates.publish(reworded, at)).toEqual({ version: 2 });

      expect(await templates.get('welcome')).toEqual(reworded);
    });

    it('treats publishing an identical template as a no-op', async () => {
      await templates.publish(welcome, at);

      expect(await templates.publish({ ...welcome, preheader: undefined }, at)).toEqual({ version: 1 });
      expect(await templates.get('welcome')).toEqual(welcome);
    });

    it('keeps each template to its own versions', async () => {
      await templates.publish(welcome, at);
      await templates.publish({ ...welcome, subject: 'Second' }, at);

      expect(await templates.publish({ ...welcome, id: 'goodbye' }, at)).toEqual({ version: 1 });
    });
  });
});
