import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../../infra/local/free-port.js';
import { DeploymentFunctionFailedError, startLocalStack } from '../../../infra/local/local-stack.js';

describe('when a function that runs at start fails', () => {
  it('aborts the start with an error naming it, and leaves nothing running', async () => {
    const [port, dynamoPort] = [await freePort(), await freePort()];

    const starting = startLocalStack({
      port,
      sesPort: 0,
      snsPort: 0,
      eventBridgePort: 0,
      dynamoPort,
      quiet: true,
      functions: [
        {
          name: 'seed',
          entry: 'functions/deployment/failing-seed.ts',
          description: 'fixture',
          memoryMb: 128,
          timeoutSeconds: 5,
          trigger: { kind: 'deployment' },
          access: { table: 'read-write', sendEmail: false, tokenKeys: false },
        },
      ],
      entryRoot: fileURLToPath(new URL('./fixtures', import.meta.url)),
    });

    await expect(starting).rejects.toThrow(DeploymentFunctionFailedError);
    await expect(starting).rejects.toThrow(/seed .*content is broken/);
    await expect(fetch(`http://127.0.0.1:${dynamoPort}`)).rejects.toThrow();
    await expect(fetch(`http://127.0.0.1:${port}/`)).rejects.toThrow();
  });
});
