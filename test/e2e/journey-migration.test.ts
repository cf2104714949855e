import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoJourneyStore } from '../../lib/adapters/dynamodb/dynamo-journey-store.js';
import { DynamoTemplateStore } from '../../lib/adapters/dynamodb/dynamo-template-store.js';
import { runCli } from '../../lib/cli/main.js';
import { JourneyDefinition } from '../../lib/domain/journey-definition.js';
import { publishCompiled } from '../support/publish-compiled.js';
import { signUpAndConfirm } from './support/signup.js';
import { adminToken, startStack } from './support/stack.js';
import { connectToTable, type LocalTableClients } from './support/table.js';

/**
 * A marketer moves contacts who are mid-wait onto a new version with the CLI:
 * the migration runs as a background job on the local stack, and when the wait
 * ends they get the new version's mail, not the old one's, and only once.
 */
let env: Awaited<ReturnType<typeof startStack>>;
let table: LocalTableClients;
let journeys: DynamoJourneyStore;

beforeAll(async () => {
  env = await startStack({ periodicSchedules: false });
  table = connectToTable(env.stack);
  journeys = new DynamoJourneyStore(table.documentClient, env.stack.tableName);
  const templates = new DynamoTemplateStore(table.documentClient, env.stack.tableName);
  for (const version of ['old', 'new']) {
    await publishCompiled(
      templates,
      {
        id: `e2e-migrate-${version}`,
        kind: 'marketing',
        subject: `Migrated ${version}`,
        text: `From the ${version} version.`,
        mjml: `<mj-text>From the ${version} version.</mj-text>`,
      },
      new Date(),
    );
  }
});
afterAll(async () => {
  table?.client.destroy();
  await env?.stack.stop();
});

const definition = (version: 'old' | 'new', waitNode: string) =>
  JourneyDefinition.parse({
    id: 'e2e-migrate',
    name: 'Migration under test',
    trigger: { event: 'signup_confirmed', condition: { 'event.data.topics': 'product-updates' } },
    start: waitNode,
    nodes: [
      { id: waitNode, type: 'wait', duration: 'PT3S', next: `send-${version}` },
      { id: `send-${version}`, type: 'send_email', template: `e2e-migrate-${version}` },
    ],
  });

const cli = async (...args: string[]) => {
  const printed: string[] = [];
  const code = await runCli([...args, '--api', env.stack.apiUrl, '--token', adminToken], {
    print: (text) => printed.push(text.toString()),
    env: {},
  });
  return { code, output: printed.join('\n') };
};

const migrated = async (email: string) =>
  (await env.mail.to(email)).map((mail) => mail.subject).filter((subject) => subject.startsWith('Migrated'));

describe('migrating running enrollments with the CLI', () => {
  it('refuses a mapping that does not fit, and names the node', async () => {
    await journeys.publish(definition('old', 'pause'), new Date());
    await signUpAndConfirm(env, 'mid-wait@example.com', ['product-updates']);
    await journeys.publish(definition('new', 'hold'), new Date());
    await expect(
      cli('journeys', 'migrate', 'e2e-migrate', '--from', '1', '--map', 'pause=send-new'),
    ).rejects.toThrow(/400.*mapping\.pause.*send-new.*send_email/);
  });

  it('moves the contact mid-wait, and the new version sends when the wait ends', async () => {
    const queued = await cli('journeys', 'migrate', 'e2e-migrate', '--from', '1', '--map', 'pause=hold');
    expect(queued).toMatchObject({ code: 0, output: expect.stringContaining('queued as job') });
    await env.stack.tick();
    await env.stack.idle();
    const jobs = await cli('journeys', 'jobs', 'e2e-migrate', '--json');
    expect(JSON.parse(jobs.output)).toMatchObject({
      jobs: [
        { status: 'done', work: { kind: 'migrate', fromVersion: 1, toVersion: 2 }, counts: { changed: 1 } },
      ],
    });

    await new Promise((resolve) => setTimeout(resolve, 3_200));
    await env.stack.tick();
    await env.stack.idle();
    await env.stack.tick();
    await env.stack.idle();
    expect(await migrated('mid-wait@example.com')).toEqual(['Migrated new']);
  });
});
