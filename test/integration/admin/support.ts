import { DynamoJourneyJobStore } from '../../../lib/adapters/dynamodb/dynamo-journey-job-store.js';
import { DynamoJourneyStore } from '../../../lib/adapters/dynamodb/dynamo-journey-store.js';
import { DynamoStatsStore } from '../../../lib/adapters/dynamodb/dynamo-stats-store.js';
import { DynamoTemplateStore } from '../../../lib/adapters/dynamodb/dynamo-template-store.js';
import { UlidIdGenerator } from '../../../lib/adapters/system/ulid-id-generator.js';
import type { EmailTemplate } from '../../../lib/domain/email-template.js';
import type { Clock } from '../../../lib/ports/clock.js';
import { createTestTable } from '../support/table.js';

/** A clock the test moves by hand. */
export const manualClock = (start: string) => {
  let now = new Date(start);
  const clock: Clock = {
    now: () => now,
    sleep: async (ms) => {
      now = new Date(now.getTime() + ms);
    },
  };
  return { clock, set: (at: string) => (now = new Date(at)) };
};

/** The stores the admin use cases need, on a fresh table. */
export const adminStores = async () => {
  const { documentClient, tableName } = await createTestTable();
  return {
    journeys: new DynamoJourneyStore(documentClient, tableName),
    templates: new DynamoTemplateStore(documentClient, tableName),
    stats: new DynamoStatsStore(documentClient, tableName),
    jobs: new DynamoJourneyJobStore(documentClient, tableName),
    ids: new UlidIdGenerator(),
  };
};

/** A journey definition as a marketer would send it: JSON, defaults left out. */
export const welcomeJson = (overrides: Record<string, unknown> = {}) => ({
  id: 'welcome',
  name: 'Welcome series',
  trigger: { event: 'signup_confirmed' },
  start: 'hello',
  nodes: [
    { id: 'hello', type: 'send_email', template: 'welcome-mail', next: 'pause' },
    { id: 'pause', type: 'wait', duration: 'P2D', next: 'done' },
    { id: 'done', type: 'exit' },
  ],
  ...overrides,
});

export const welcomeMail: EmailTemplate = {
  id: 'welcome-mail',
  kind: 'marketing',
  subject: 'Welcome, {{ contact.name | default: "reader" }}',
  text: 'Hello {{ contact.name }}, glad you are here.',
  mjml: '<mj-text>Hello {{ contact.name }}, glad you are here.</mj-text>',
};
