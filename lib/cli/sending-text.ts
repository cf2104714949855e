import { SendingState } from '../domain/sending-state.js';
import { type TerminalText, terminal, terminalLines } from './terminal-text.js';

const pausedBy = (pause: { source: string; by?: string | undefined }): string =>
  pause.by === undefined ? `Rapport (${pause.source})` : `${pause.by} (${pause.source})`;

/** `rapport sending`: whether marketing email goes out, and if not, why and how to resume. */
export const sendingStateText = (data: unknown): TerminalText => {
  const parsed = SendingState.safeParse(data);
  if (!parsed.success) return terminal`the API answered something that is not a sending state`;
  const state = parsed.data;
  if (state.status === 'paused')
    return terminalLines([
      'Marketing email is PAUSED. Journeys and campaigns wait as deferred; confirmations still go out.',
      `Since:  ${state.pause.at}`,
      `By:     ${pausedBy(state.pause)}`,
      `Cause:  ${state.pause.cause}`,
      '',
      'Find what caused it (npx rapport reports deliverability), fix it, then: npx rapport sending resume',
    ]);
  const last = state.lastPause;
  return terminalLines([
    'Marketing email is sending.',
    ...(last === undefined
      ? []
      : [
          `Last paused ${last.at} by ${pausedBy(last)}: ${last.cause}`,
          `Resumed ${last.resumedAt} by ${last.resumedBy}.`,
        ]),
  ]);
};
