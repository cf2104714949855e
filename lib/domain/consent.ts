import type { ConsentStatus } from './contact.js';

/**
 * The consent state machine for one channel.
 *
 *   none ──request──▶ pending ──confirm──▶ subscribed ──unsubscribe──▶ unsubscribed
 *                        ▲                                                  │
 *                        └──────────────────────request─────────────────────┘
 *
 * A new signup never subscribes directly (double opt-in), and an unsubscribed
 * contact only comes back through a new confirmation.
 */
export type ConsentCommand = 'request' | 'confirm' | 'unsubscribe';

export type ConsentTransition =
  | { outcome: 'changed'; status: ConsentStatus }
  /** Already in the target state: nothing to write, answer as if it worked (idempotent links). */
  | { outcome: 'unchanged'; status: ConsentStatus }
  /** The command makes no sense from here, e.g. confirming after unsubscribing. */
  | { outcome: 'refused'; status: ConsentStatus };

export const applyConsentCommand = (status: ConsentStatus, command: ConsentCommand): ConsentTransition => {
  switch (command) {
    case 'request':
      if (status === 'subscribed') return { outcome: 'unchanged', status };
      // a pending contact asking again gets a fresh confirmation email; the state stays pending
      return { outcome: status === 'pending' ? 'unchanged' : 'changed', status: 'pending' };
    case 'confirm':
      if (status === 'pending') return { outcome: 'changed', status: 'subscribed' };
      if (status === 'subscribed') return { outcome: 'unchanged', status };
      return { outcome: 'refused', status };
    case 'unsubscribe':
      if (status === 'unsubscribed' || status === 'none') return { outcome: 'unchanged', status };
      return { outcome: 'changed', status: 'unsubscribed' };
    default: {
      const unknownCommand: never = command;
      throw new Error(`unknown consent command ${String(unknownCommand)}`);
    }
  }
};

/** Marketing email may go out only to a subscribed contact, and only on a topic they hold. */
export const mayReceiveMarketing = (
  status: ConsentStatus,
  topics: readonly string[],
  topic: string | undefined,
): 'allowed' | 'not-subscribed' | 'topic-not-subscribed' => {
  if (status !== 'subscribed') return 'not-subscribed';
  if (topic !== undefined && !topics.includes(topic)) return 'topic-not-subscribed';
  return 'allowed';
};
