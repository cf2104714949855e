import { describe, expect, it } from 'vitest';
import { sendTestEmail } from '../../../lib/app/send-test-email.js';
import { publishCompiled } from '../../support/publish-compiled.js';
import { fieldsOf, welcomeMail } from './support/admin.js';
import { aWorld, deploymentFor } from './support/worlds.js';

describe('when a test send names an address longer than any address can be', () => {
  it('is refused naming `to`, and nothing is mailed', async () => {
    const world = aWorld('2026-11-01T09:00:00.000Z');
    await publishCompiled(world.templates, welcomeMail, world.clock.now());
    const to = `${'x'.repeat(3_000)}@example.com`;

    expect(await fieldsOf(sendTestEmail(deploymentFor(world).templates, 'welcome-mail', { to }))).toEqual({
      to: 'must be at most 254 characters',
    });
    expect(world.mailer.sentTo(to)).toHaveLength(0);
  });
});
