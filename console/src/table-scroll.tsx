import type { ReactNode } from 'react';

/**
 * A table (or code) that may be wider than the screen (390 px on a phone): it
 * scrolls sideways, and can be focused to scroll by keyboard.
 */
export const TableScroll = ({ label, children }: { label: string; children: ReactNode }) => (
  // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must take focus to scroll by keyboard (WCAG 2.1.1).
  <section className="table-scroll" tabIndex={0} aria-label={label}>
    {children}
  </section>
);
