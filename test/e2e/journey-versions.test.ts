import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoJourneyStore } from '../../lib/adapters/dynamodb/dynamo-journey-store.js';
import { DynamoTemplateStore } from '../../lib/adapters/dynamodb/dynamo-template-store.js';
import { JourneyDefinition } from '../../lib/domain/journey-definition.js';
import { publishCompiled } from '../support/publish-compiled.js';
import { signUpAndConfirm } from './support/signup.js';
import { startStack } from './support/stack.js';
import { connectToTable, type LocalTableClients } from './support/table.js';

/**
 * A journey with a short wait, on the local stack with the tick under the test's
 * control: a contact mid-wait when a new version is published finishes on the
 * version it entered, and a new contact enters the new one.
 */
let env: Awaited<ReturnType<typeof startStack>>;
let table: LocalTableClients;
let journeys: DynamoJourneyStore;
let templates: DynamoTemplateStore;

beforeAll(async () => {
  env = await startStack({ periodicSchedules: false });
  table = connectToTable(env.stack);
  journeys = new DynamoJourneyStore(table.documentClient, env.stack.tableName);
  templates = new DynamoTemplateStore(table.documentClient, env.stack.tableName);
  for (const version of ['one', 'two']) {
    await publishCompiled(
      templates,
      {
        id: `e2e-version-${version}`,
        kind: 'marketing',
        subject: `Version ${version}`,
        text: `This came from version ${version}.`,
        mjml: `<mj-text>This came from version ${version}.</mj-text>`,
      },
      new Date(),
    );
  }
});
afterAll(async () => {
  table?.client.destroy();
  await env?.stack.stop();
});

/** Only contacts who pick "recommendations" enter, so the shipped journeys' mail stays out of the way. */
const definition = (version: 'one' | 'two', waitNode: string) =>
  JourneyDefinition.parse({
    id: 'e2e-versions',
    name: 'Versions under test',
    trigger: { event: 'signup_confirmed', condition: { 'event.data.topics': 'recommendations' } },
    start: waitNode,
    nodes: [
      { id: waitNode, type: 'wait', duration: 'PT2S', next: `send-${version}` },
      { id: `send-${version}`, type: 'send_email', template: `e2e-version-${version}` },
    ],
  });

const subjects = async (email: string) => (await env.mail.to(email)).map((mail) => mail.subject);
const tickAfter = async (ms: number) => {
  await new Promise((resolve) => setTimeout(resolve, ms));
  await env.stack.tick();
  await env.stack.idle();
};

describe('a journey with a wait, edited while contacts are in it', () => {
  it('holds the first contact in the wait, with nothing sent yet', async () => {
    expect((await journeys.publish(definition('one', 'pause'), new Date())).version).toBe(1);
    await signUpAndConfirm(env, 'early@example.com', ['recommendations']);
    const { body } = await env.http.contact('early@example.com');
    expect(body?.enrollments).toContainEqual(
      expect.objectContaining({ journeyId: 'e2e-versions', status: 'active' }),
    );
    await env.stack.tick();
    await env.stack.idle();
    expect(await subjects('early@example.com')).not.toContain('Version one');
  });

  it('lets new contacts enter the newly published version while the first stays on its own', async () => {
    expect((await journeys.publish(definition('two', 'hold'), new Date())).version).toBe(2);
    await signUpAndConfirm(env, 'late@example.com', ['recommendations']);

    await tickAfter(2_500);

    expect((await subjects('early@example.com')).filter((s) => s.startsWith('Version'))).toEqual([
      'Version one',
    ]);
    expect((await subjects('late@example.com')).filter((s) => s.startsWith('Version'))).toEqual([
      'Version two',
    ]);
  });

  it('sends nothing twice when the tick runs again', async () => {
    await tickAfter(100);
    expect((await subjects('early@example.com')).filter((s) => s.startsWith('Version'))).toHaveLength(1);
    expect((await subjects('late@example.com')).filter((s) => s.startsWith('Version'))).toHaveLength(1);
    const { body } = await env.http.contact('early@example.com');
    expect(body?.enrollments).toContainEqual(
      expect.objectContaining({ journeyId: 'e2e-versions', status: 'completed' }),
    );
  });
});
