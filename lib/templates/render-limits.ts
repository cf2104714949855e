/**
 * Every bound on rendering a template, in one place. Templates come from the admin API,
 * so a Liquid loop such as `{% for i in (1..4000) %}{% for j in (1..4000) %}xxx…` must
 * stop early with the limit named, instead of building tens of megabytes and holding the
 * function (and, locally, the whole stack) for seconds. A template over a limit is over
 * it on every try: the admin API refuses the draft, and `deliver` fails the message
 * unsent instead of retrying it.
 */

const KiB = 1024;

/**
 * One budget for all of a message's template Liquid together (subject, text, preheader
 * and body render at once). The shipped templates take 2–20 ms, the first render in a
 * cold process included, so a legitimate template never comes near it, even on a Lambda
 * with a fraction of a CPU; a runaway loop is stopped within a few hundred milliseconds.
 */
export const renderTimeLimitMs = 300;

/**
 * Email sizes count UTF-8 bytes: what SES counts, and what Gmail clips by.
 */
export const emailLimits = {
  /**
   * The compiled HTML. Gmail clips a message over 102 KB behind "View entire message"
   * and SES v2 takes up to 40 MB. This cap guards against runaway templates rather than
   * enforcing style (a clipped email still arrives), so it sits at two and a half times
   * Gmail's clip and twenty times the shipped templates (10–12 KB), keeping a message's
   * MIME, with both parts encoded, near half a megabyte at most: far below SES's limit.
   */
  htmlBytes: 256 * KiB,
  /**
   * What each field's Liquid may render to, checked as the output grows so that a loop
   * stops at the cap instead of after it has built the whole string. The body gets the
   * HTML cap, since MJML only wraps markup around what the body renders; the text part
   * half of that; a subject is shown in 60–100 characters; a preheader leaves room for
   * the `&zwnj;&nbsp;` padding senders put after the preview text.
   */
  fieldBytes: {
    subject: 1 * KiB,
    preheader: 4 * KiB,
    text: 128 * KiB,
    mjml: 256 * KiB,
  },
  /**
   * MJML components (`<mj-…>` tags) in the rendered body and preheader, the two fields
   * that reach MJML unescaped. MJML's time grows with the components rather than the
   * bytes: 96 KB of `<mj-button>` compiles to 4 MB of HTML and takes a second. 200 of the
   * costliest kinds compile in well under 100 ms, and a newsletter with twenty products of
   * image, text and button uses about a hundred (the shipped templates use at most seven).
   */
  mjmlComponents: 200,
  /**
   * Passed to liquidjs, per field. `parseChars` (its `parseLimit`): characters of source,
   * a hundred times the longest shipped field; parsing cannot be interrupted, and takes
   * roughly a millisecond per thousand characters. `memoryUnits` (its `memoryLimit`): what
   * liquidjs charges for ranges, arrays, string filters and the HTML escaping of every
   * output, before allocating. Eight times the largest output a field may have: a range
   * at the limit takes some 50 ms to build, where 20 million took close to a second.
   */
  liquid: { parseChars: 100_000, memoryUnits: 2_000_000 },
} as const;

export const smsLimits = {
  /** SNS refuses an SMS Publish over 1,600 characters; the segment limit is checked after. */
  bodyChars: 1_600,
  /** As for email, scaled to a body of a few hundred characters. */
  liquid: { parseChars: 20_000, memoryUnits: 200_000 },
} as const;
