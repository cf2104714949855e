import { z } from 'zod';
import { neverPaused, SendingPause, type SendingResume, SendingState } from '../../domain/sending-state.js';
import type { ItemType } from './items.js';
import { keys } from './keys.js';

/**
 * One item, `CONFIG` / `SENDING`: `status` and `version` as plain attributes, for
 * the conditions that move it from one state to the other, and the state itself
 * as JSON text.
 */
export const sendingStateKey = keys.config('SENDING');

const StateItem = z.object({ state: z.string() });

export const sendingStateFromItem = (item: Record<string, unknown> | undefined): SendingState =>
  item === undefined ? neverPaused : SendingState.parse(JSON.parse(StateItem.parse(item).state));

/** The attributes of the item once `state` is recorded. */
export const sendingStateAttributes = (state: SendingState) => ({
  type: 'config' satisfies ItemType,
  status: state.status,
  version: state.version,
  state: JSON.stringify(SendingState.parse(state)),
});

/** The state a pause moves an active one to. */
export const pausedState = (current: SendingState, pause: SendingPause): SendingState => ({
  status: 'paused',
  version: current.version + 1,
  pause: SendingPause.parse(pause),
});

/** The state a resume moves a paused one to, keeping the pause it ends. */
export const resumedState = (
  current: Extract<SendingState, { status: 'paused' }>,
  resume: SendingResume,
): SendingState => ({
  status: 'active',
  version: current.version + 1,
  lastPause: {
    ...current.pause,
    resumedAt: resume.at,
    resumedBy: resume.by,
    ...(resume.countsAtResume === undefined ? {} : { countsAtResume: resume.countsAtResume }),
  },
});
