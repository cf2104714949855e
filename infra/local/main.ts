import { parseArgs } from 'node:util';
import { z } from 'zod';
import { buildConsoleIfStale } from './console-build.js';
import { JavaMissingError } from './dynamodb-local.js';
import { type LocalStack, PortInUseError, repoRoot, startLocalStack } from './local-stack.js';

/**
 * `npm start`: the whole of Rapport on this machine. Flags: --persist keeps the
 * database under .rapport/ across restarts, --quiet logs warnings only, --bundles runs
 * each function from the bundle `cdk synth` made for it, with the environment its
 * template declares, instead of from source (Decision 62). Ports come
 * from PORT (the API, default 3000), RAPPORT_SES_PORT (8005), RAPPORT_SNS_PORT (8006),
 * RAPPORT_EVENTBRIDGE_PORT (8007) and RAPPORT_DYNAMODB_PORT (8000). RAPPORT_DYNAMODB_ENDPOINT
 * and RAPPORT_SES_ENDPOINT use a DynamoDB Local and an SES emulator that are already
 * running (and outlive this process); RAPPORT_DATA_DIR moves --persist's folder.
 */

const Port = z.coerce.number().int().min(0).max(65_535);

class InvalidPortError extends Error {
  override readonly name = 'InvalidPortError';
}

const portFrom = (name: string): number | undefined => {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  const parsed = Port.safeParse(raw);
  if (!parsed.success) throw new InvalidPortError(`${name}="${raw}" is not a port number (0-65535)`);
  return parsed.data;
};

const Endpoint = z.url({ protocol: /^https?$/ });

class InvalidEndpointError extends Error {
  override readonly name = 'InvalidEndpointError';
}

const endpointFrom = (name: string): string | undefined => {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  if (!Endpoint.safeParse(raw).success)
    throw new InvalidEndpointError(`${name}="${raw}" is not an http(s) URL such as http://127.0.0.1:8000`);
  return raw.replace(/\/+$/, '');
};

const setting = (name: string): string | undefined => {
  const raw = process.env[name];
  return raw === undefined || raw.trim() === '' ? undefined : raw;
};

const banner = (stack: LocalStack, persist: boolean, dataFolder: string | undefined): string => {
  const lookup = `${stack.apiUrl}/admin/contacts?email=ann%40example.com`;
  return [
    '',
    'Rapport is running locally.',
    '',
    `  Console              ${stack.consoleUrl}  (sign in with the admin token below)`,
    `  API                  ${stack.apiUrl}`,
    `  Example signup page  ${stack.apiUrl}/`,
    `  Email viewer         ${stack.sesUrl}`,
    `  SMS sink             ${stack.apiUrl}/local/sms  (each SMS is also printed here)`,
    `  Event sink           ${stack.apiUrl}/local/events  (each event put on bus ${stack.eventBusName} is also printed here)`,
    `  EventBridge          ${stack.eventBridgeUrl}  (put purchase events on bus ${stack.eventBusName} here; see docs/deploying.md)`,
    `  DynamoDB Local       ${stack.dynamoEndpoint}  (table ${stack.tableName})`,
    ...(stack.dynamoLoopbackOnly
      ? []
      : [
          '                       WARNING: it listens on every network interface and takes any credentials;',
          '                       anyone who can reach this machine can read and write the development database.',
        ]),
    `  Dead letters         ${stack.apiUrl}/local/dead-letters`,
    `  Data                 ${persist ? `kept in ${dataFolder ?? '.rapport/'} (--persist)` : 'in memory; start with --persist to keep it'}`,
    '',
    `  Admin token          ${stack.adminToken}`,
    '  Look a contact up:',
    `    curl -H 'Authorization: Bearer ${stack.adminToken}' '${lookup}'`,
    '',
    'Press Ctrl+C to stop.',
    '',
  ].join('\n');
};

const main = async (): Promise<void> => {
  const { values } = parseArgs({
    options: {
      persist: { type: 'boolean', default: false },
      quiet: { type: 'boolean', default: false },
      bundles: { type: 'boolean', default: false },
    },
  });
  const port = portFrom('PORT');
  const sesPort = portFrom('RAPPORT_SES_PORT');
  const dynamoPort = portFrom('RAPPORT_DYNAMODB_PORT');
  const snsPort = portFrom('RAPPORT_SNS_PORT');
  const eventBridgePort = portFrom('RAPPORT_EVENTBRIDGE_PORT');
  const persist = values.persist === true;
  const dynamoEndpoint = endpointFrom('RAPPORT_DYNAMODB_ENDPOINT');
  const sesEndpoint = endpointFrom('RAPPORT_SES_ENDPOINT');
  const dataFolder = setting('RAPPORT_DATA_DIR');
  await buildConsoleIfStale(repoRoot, (line) => console.log(line));
  const stack = await startLocalStack({
    ...(port === undefined ? {} : { port }),
    ...(sesPort === undefined ? {} : { sesPort }),
    ...(dynamoPort === undefined ? {} : { dynamoPort }),
    ...(snsPort === undefined ? {} : { snsPort }),
    ...(eventBridgePort === undefined ? {} : { eventBridgePort }),
    persist,
    ...(dynamoEndpoint === undefined ? {} : { dynamoEndpoint }),
    ...(sesEndpoint === undefined ? {} : { sesEndpoint }),
    ...(dataFolder === undefined ? {} : { dataFolder }),
    quiet: values.quiet === true,
    bundles: values.bundles === true,
  });
  console.log(banner(stack, persist, dataFolder));

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) {
      console.log('Stopping anyway.');
      process.exit(1);
    }
    stopping = true;
    console.log(`\n${signal}: stopping the local runtime…`);
    stack
      .stop()
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        console.error(error);
        process.exit(1);
      });
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
};

main().catch((error: unknown) => {
  if (
    error instanceof JavaMissingError ||
    error instanceof PortInUseError ||
    error instanceof InvalidPortError ||
    error instanceof InvalidEndpointError
  ) {
    console.error(`\n${error.message}\n`);
  } else {
    console.error('\nThe local runtime could not start:');
    console.error(error);
  }
  process.exit(1);
});
