import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { type DynamoDbLocal, startDynamoDbLocal } from '../../infra/local/dynamodb-local.js';
import { freePort } from '../../infra/local/free-port.js';
import { oneMachineLoad } from '../../infra/local/local-stack.js';
import { type SesLocal, startSesLocal } from '../../infra/local/ses-local.js';
import { type AdminClient, adminClient } from '../../lib/cli/admin-client.js';
import { getJson } from './chaos-client.js';
import { type RuntimeProcess, runtimeProcess } from './runtime-process.js';

/**
 * What the chaos, load and soak runs stand on: DynamoDB Local and the SES
 * emulator started here for the whole run (DynamoDB does not crash when Lambda
 * does; SES keeps what it accepted), and `npm start -- --persist` as a child
 * process group that can be killed and started again on the same ports, with
 * an API key for the shop, the follow-up journey published and a delivery
 * policy that lets every message go when it is due.
 */

export interface ChaosWorld {
  folder: string;
  runId: string;
  apiUrl: string;
  sesUrl: string;
  dynamoEndpoint: string;
  adminToken: string;
  apiKey: string;
  admin: AdminClient;
  runtime: RuntimeProcess;
  /** Stops everything; the folder (database and the runtime's log) is kept when asked, for reading after a failure. */
  stop(keepFolder: boolean): Promise<void>;
}

const here = new URL('.', import.meta.url).pathname;
const ApiKeyAnswer = z.object({ key: z.string() });
const PolicyAnswer = z.object({ version: z.number() });

const pushFile = async (admin: AdminClient, kind: 'journeys' | 'templates', file: string): Promise<void> => {
  const definition: unknown = parse(await readFile(join(here, file), 'utf8'));
  const id = z.object({ id: z.string() }).parse(definition).id;
  await admin('PUT', `/admin/${kind}/${id}/draft`, definition);
  await admin('POST', `/admin/${kind}/${id}/publish`);
};

export const startChaosWorld = async (options: {
  /** Settings laid over the runtime's environment (e.g. a signup limit the run means to meet). */
  env?: Record<string, string>;
}): Promise<ChaosWorld> => {
  const folder = await mkdtemp(join(tmpdir(), 'rapport-chaos-'));
  const started: Array<DynamoDbLocal | SesLocal | RuntimeProcess> = [];
  const stopAll = async () => {
    for (const part of started.reverse()) await part.stop();
  };
  try {
    const dynamo = await startDynamoDbLocal({ port: await freePort(), persistTo: join(folder, 'dynamodb') });
    started.push(dynamo);
    const ses = await startSesLocal({ port: await freePort(), host: '127.0.0.1' });
    started.push(ses);
    const apiPort = await freePort();
    const apiUrl = `http://127.0.0.1:${apiPort}`;
    const adminToken = randomBytes(24).toString('base64url');
    const runtime = runtimeProcess({
      apiUrl,
      logFile: join(folder, 'runtime.log'),
      env: {
        ...oneMachineLoad,
        PORT: String(apiPort),
        RAPPORT_SNS_PORT: String(await freePort()),
        RAPPORT_EVENTBRIDGE_PORT: String(await freePort()),
        RAPPORT_DYNAMODB_ENDPOINT: dynamo.endpoint,
        RAPPORT_SES_ENDPOINT: ses.endpoint,
        RAPPORT_DATA_DIR: folder,
        RAPPORT_ADMIN_TOKEN: adminToken,
        ...options.env,
      },
    });
    started.push(runtime);
    await runtime.start();
    const admin = adminClient({ baseUrl: apiUrl, token: adminToken });
    const { key: apiKey } = ApiKeyAnswer.parse(
      await admin('POST', '/admin/api-keys', { name: 'chaos shop' }),
    );
    await pushFile(admin, 'templates', 'chaos-follow-up.template.yaml');
    await pushFile(admin, 'journeys', 'chaos-follow-up.journey.yaml');
    // The runs check that each message goes exactly once, not the delivery policy (tested on its own):
    // without quiet hours and with room under the cap, every message the journeys queue is due now.
    const { version } = PolicyAnswer.parse(await admin('GET', '/admin/delivery-policy'));
    await admin('PUT', '/admin/delivery-policy', {
      version,
      policy: { email: { caps: [{ max: 50, per: 'P1D' }] } },
    });
    return {
      folder,
      runId: randomBytes(4).toString('hex'),
      apiUrl,
      sesUrl: ses.endpoint,
      dynamoEndpoint: dynamo.endpoint,
      adminToken,
      apiKey,
      admin,
      runtime,
      stop: async (keepFolder) => {
        await stopAll();
        if (!keepFolder) await rm(folder, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
};

const LocalStatus = z.object({
  pollers: z.array(z.object({ settledInvocations: z.number() })),
  topics: z.object({ settledDeliveries: z.number() }),
});

/**
 * Until the runtime has been still for long enough: no handler invocation settles
 * across 45 s, longer than a send's claim lease (40 s), so a claim held by a
 * killed invocation has lapsed and been taken over, and every wait of the
 * follow-up journey (20 s) has come due and fired.
 */
export const settle = async (apiUrl: string, log: (line: string) => void): Promise<void> => {
  const quietFor = 45_000;
  let last = -1;
  let stillSince = Date.now();
  const deadline = Date.now() + 600_000;
  while (Date.now() < deadline) {
    const status = LocalStatus.parse(await getJson(`${apiUrl}/local/status`));
    const settled =
      status.pollers.reduce((sum, poller) => sum + poller.settledInvocations, 0) +
      status.topics.settledDeliveries;
    if (settled !== last) {
      last = settled;
      stillSince = Date.now();
    } else if (Date.now() - stillSince >= quietFor) return;
    await new Promise((resolve) => setTimeout(resolve, 2_000));
  }
  log('the runtime did not settle within 10 minutes; checking anyway');
};
