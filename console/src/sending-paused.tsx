import { type ReactNode, useId } from 'react';
import type { SendingPause, SendingPauseSource } from '../../lib/domain/sending-state.js';
import { when } from './query-state.js';

const sourceWords: Readonly<Record<SendingPauseSource, string>> = {
  'complaint-rate': 'Rapport’s own complaint rate',
  'bounce-rate': 'Rapport’s own bounce rate',
  alarm: 'the SES reputation alarm',
  admin: 'an admin',
};

/** Who or what paused marketing email, as a person reads it. */
export const pausedBy = (pause: SendingPause): string =>
  pause.source === 'admin' && pause.by !== undefined
    ? `${sourceWords.admin} (${pause.by})`
    : sourceWords[pause.source];

/**
 * The banner every page that shows the sending state puts first while
 * marketing email is paused: since when, by what and why. `children` is what
 * the page offers beside it (a link, or the resume button).
 */
export const SendingPausedBanner = ({ pause, children }: { pause: SendingPause; children?: ReactNode }) => {
  const headingId = useId();
  return (
    <section className="sending-paused" aria-labelledby={headingId}>
      <h2 id={headingId}>Marketing email is paused</h2>
      <p>
        Journeys’ and campaigns’ email waits and goes out once sending resumes; transactional mail (the signup
        confirmation) goes on.
      </p>
      <dl className="facts">
        <dt>Since</dt>
        <dd>{when(pause.at)}</dd>
        <dt>Paused by</dt>
        <dd>{pausedBy(pause)}</dd>
        <dt>Cause</dt>
        <dd>{pause.cause}</dd>
      </dl>
      {children}
    </section>
  );
};
