import {
  CaptureTag,
  Context,
  type Emitter,
  Liquid,
  LiquidError,
  Tag,
  type TagToken,
  type Template,
  type TopLevelToken,
  toPromise,
  toValue,
} from 'liquidjs';
import { localDate } from './local-date-filter.js';
import { period } from './period-filter.js';
import { renderTimeLimitMs } from './render-limits.js';

/** How much output one render may produce. */
export interface OutputCap {
  max: number;
  /** UTF-8 bytes for email (what SES and Gmail count), characters for SMS (what SNS counts). */
  unit: 'bytes' | 'characters';
}

export interface EngineLimits {
  parseChars: number;
  memoryUnits: number;
  /** For a `{% capture %}` in a render that has no cap of its own (`engine.render`). */
  capture: OutputCap;
}

/** Thrown from inside the render the moment output passes its cap, so the loop producing it stops there. */
class OutputCapReachedError extends Error {
  override readonly name = 'OutputCapReachedError';
}

/** As liquidjs's own emitter turns a value into text: drops unwrapped, nothing for nil, arrays joined. */
const stringify = (value: unknown): string => {
  const unwrapped: unknown = toValue(value);
  if (typeof unwrapped === 'string') return unwrapped;
  if (unwrapped === null || unwrapped === undefined) return '';
  if (Array.isArray(unwrapped)) return unwrapped.map(stringify).join('');
  return String(unwrapped);
};

/**
 * liquidjs bounds parse length, time and some allocations, but not output: a loop of
 * literal text allocates nothing it counts. This emitter counts what is written.
 */
class CappedEmitter implements Emitter {
  buffer = '';
  private size = 0;

  constructor(private readonly cap: OutputCap) {}

  write(html: unknown): void {
    const text = stringify(html);
    // The length never exceeds the byte count, and reading it does not flatten a string
    // that concatenation built: a huge captured string is refused without being copied.
    if (this.size + text.length > this.cap.max) throw new OutputCapReachedError();
    const size = this.size + (this.cap.unit === 'bytes' ? Buffer.byteLength(text) : text.length);
    if (size > this.cap.max) throw new OutputCapReachedError();
    this.size = size;
    this.buffer += text;
  }
}

/** The output cap of each render in progress, for the captures inside it. */
const renderCaps = new WeakMap<Context, OutputCap>();

/**
 * The stock `capture` renders into an uncapped buffer of its own, so a loop could grow a
 * variable without limit (and doubling one, `{{ x }}{{ x }}`, takes only 30 steps to reach
 * half a gigabyte). Captured text gets the cap of the render it is part of.
 */
const cappedCapture = (fallback: OutputCap) =>
  class extends CaptureTag {
    override *render(ctx: Context): Generator<unknown, void, string> {
      const emitter = new CappedEmitter(renderCaps.get(ctx) ?? fallback);
      yield this.liquid.renderer.renderTemplates(this.templates, ctx, emitter);
      ctx.bottom()[this.variable] = emitter.buffer;
    }
  };

/**
 * `{% include %}`, `{% render %}` and `{% layout %}` read other templates. Here a template
 * stands alone (there is nothing to read, and a template that included itself would never
 * end), so they are refused when the template is read, saying why, rather than failing
 * later with a file-lookup error.
 */
class StandaloneOnly extends Tag {
  constructor(token: TagToken, remainTokens: TopLevelToken[], liquid: Liquid) {
    super(token, remainTokens, liquid);
    throw new Error(
      `{% ${token.name} %} is not available: a template cannot use another template, so put what it needs in this one`,
    );
  }

  render(): void {}
}

/**
 * An engine for templates that may come from the admin API: it reads no files
 * (`templates: {}`, and `{% include %}`, `{% render %}` and `{% layout %}` refused), rejects
 * unknown filters, and is bounded in source length, time, memory and, with
 * `renderLimited`, output.
 */
export const limitedEngine = (limits: EngineLimits, escapeHtml: boolean): Liquid => {
  const engine = new Liquid({
    templates: {},
    strictFilters: true,
    parseLimit: limits.parseChars,
    renderLimit: renderTimeLimitMs,
    memoryLimit: limits.memoryUnits,
    ...(escapeHtml ? { outputEscape: 'escape' } : {}),
  });
  engine.registerTag('capture', cappedCapture(limits.capture));
  for (const name of ['include', 'render', 'layout']) engine.registerTag(name, StandaloneOnly);
  engine.registerFilter('local_date', localDate);
  engine.registerFilter('period', period);
  return engine;
};

/**
 * Renders with the output capped. `deadline` (a `performance.now()` time) lets several
 * renders share one time budget; without it, the render gets the engine's own.
 */
export const renderLimited = async (
  engine: Liquid,
  templates: Template[],
  scope: object,
  limits: { output: OutputCap; deadline?: number },
): Promise<string> => {
  const renderOptions =
    limits.deadline === undefined ? {} : { renderLimit: limits.deadline - performance.now() };
  const context = new Context(scope, engine.options, renderOptions, { liquid: engine });
  renderCaps.set(context, limits.output);
  const emitter = new CappedEmitter(limits.output);
  await toPromise(engine.renderer.renderTemplates(templates, context, emitter));
  return emitter.buffer;
};

export type LimitReached = 'output' | 'time' | 'memory' | 'source';

/** liquidjs reports its limits as assertions with these messages, wrapped in a RenderError where a tag ran. */
const liquidLimitMessages = new Map<string, LimitReached>([
  ['template render limit exceeded', 'time'],
  ['memory alloc limit exceeded', 'memory'],
  ['parse length limit exceeded', 'source'],
]);

/** Which limit a failed parse or render ran into, if it was a limit. */
export const limitReached = (error: unknown): LimitReached | undefined => {
  let current: unknown = error;
  while (current instanceof Error) {
    if (current instanceof OutputCapReachedError) return 'output';
    const limit = liquidLimitMessages.get(current.message);
    if (limit !== undefined) return limit;
    current = LiquidError.is(current) ? current.originalError : undefined;
  }
  return undefined;
};

const count = new Intl.NumberFormat('en');

export const formatCap = (cap: OutputCap): string =>
  cap.unit === 'characters'
    ? `${count.format(cap.max)} characters`
    : cap.max % 1024 === 0
      ? `${count.format(cap.max / 1024)} KiB`
      : `${count.format(cap.max)} bytes`;

/** Names the limit, with its value, and where an author should look. */
export const limitProblem = (
  limit: LimitReached,
  limits: { output: OutputCap; parseChars: number; memoryUnits: number },
): string => {
  switch (limit) {
    case 'output':
      return `renders to more than ${formatCap(limits.output)}, the limit for this field; look for a loop that repeats too often`;
    case 'time':
      return `rendering took longer than the ${renderTimeLimitMs} ms limit; look for a loop that runs too long`;
    case 'memory':
      return `uses more than the ${count.format(limits.memoryUnits)} units of Liquid memory allowed (ranges, arrays and string filters); look for a large range or a filter in a loop`;
    case 'source':
      return `is longer than the ${count.format(limits.parseChars)} characters allowed for a field's source`;
  }
};
