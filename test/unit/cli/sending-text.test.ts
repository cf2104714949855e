import { describe, expect, it } from 'vitest';
import { runCli, UsageError } from '../../../lib/cli/main.js';
import { sendingStateText } from '../../../lib/cli/sending-text.js';

const pause = {
  at: '2026-12-01T09:00:00.000Z',
  source: 'complaint-rate',
  cause: 'complaint rate 0.15 % (3 of 2000 sent) at or above the critical threshold 0.10 %',
};

describe('rapport sending', () => {
  it('says when marketing email is paused, since when, by what and why, and how to resume', () => {
    const lines = sendingStateText({ status: 'paused', version: 1, pause }).toString().split('\n');

    expect(lines[0]).toBe(
      'Marketing email is PAUSED. Journeys and campaigns wait as deferred; confirmations still go out.',
    );
    expect(lines).toContain('By:     Rapport (complaint-rate)');
    expect(lines).toContain(`Cause:  ${pause.cause}`);
    expect(lines.at(-1)).toContain('npx rapport sending resume');
  });

  it('says it is sending, and names the last pause and who resumed it', () => {
    const text = sendingStateText({
      status: 'active',
      version: 2,
      lastPause: {
        ...pause,
        by: 'admin-1',
        source: 'admin',
        resumedAt: '2026-12-02T08:00:00.000Z',
        resumedBy: 'admin-2',
      },
    }).toString();

    expect(text).toBe(
      [
        'Marketing email is sending.',
        `Last paused 2026-12-01T09:00:00.000Z by admin-1 (admin): ${pause.cause}`,
        'Resumed 2026-12-02T08:00:00.000Z by admin-2.',
      ].join('\n'),
    );
  });

  it('shows a control character in a cause instead of letting the terminal obey it', () => {
    const text = sendingStateText({
      status: 'paused',
      version: 1,
      pause: { ...pause, cause: 'spike\u001b[2J' },
    });

    expect(text.toString()).not.toContain('\u001b');
  });

  it('refuses a pause without a cause before it calls the API', async () => {
    await expect(runCli(['sending', 'pause'], { print: () => {}, env: {} })).rejects.toThrow(UsageError);
  });
});
