import { Tokenizer, TypeGuards } from 'liquidjs';
import mjml2html from 'mjml';
import { z } from 'zod';
import type { CompiledEmail } from '../domain/compiled-email.js';
import type { EmailTemplate } from '../domain/email-template.js';
import { messageOf } from '../domain/error-text.js';
import { emailLayout } from './email-layout.js';
import { limitProblem, limitReached } from './limited-liquid.js';
import { checkHtmlSize, htmlEngine } from './render-compiled-email.js';
import { emailLimits } from './render-limits.js';
import { TemplateLimitExceededError, TemplateRenderError } from './template-render-error.js';

/*
 * A template's MJML is compiled to HTML once, when it is published, and its Liquid is
 * carried through untouched: sending is then Liquid over HTML (render-compiled-email.ts),
 * and the function that sends never loads MJML. The HTML must be what compiling after
 * Liquid gave, byte for byte (test/unit/templates/compiled-email.test.ts), so each piece
 * of Liquid is hidden from MJML behind a placeholder and must land where MJML copies it
 * unchanged:
 *
 * - inside a component's content (mj-text, mj-button, mj-raw, mj-table, …), which MJML
 *   copies after trimming it; content that begins or ends with Liquid is trimmed after
 *   rendering instead (a capture and `strip`), as MJML would have trimmed it;
 * - inside href, src, alt or title, which MJML copies; every other attribute MJML reads
 *   (sizes, colours, classes) and cannot take Liquid it has not seen rendered;
 * - between the body's components, for tags only (if, unless, case, for, assign,
 *   comments): they become mj-raw, which MJML places between the rendered components.
 *
 * Anything else is refused with its line, as a broken template would be. Two differences
 * remain, where a value renders to nothing: MJML treats an empty href as none (a button
 * becomes a paragraph) and labels the document with the subject only when there is one,
 * while the compiled HTML keeps the link with an empty address and an empty label.
 */

export const mjmlOptions = {
  validationLevel: 'strict',
  fonts: {},
  keepComments: false,
  // Never let template content read files from the function's disk.
  ignoreIncludes: true,
} as const;

/** Where the layout takes the body. */
const bodySlot = '{{ body | raw }}';

/** Attributes MJML copies into the HTML as they are, so Liquid in them renders there as it would have before. */
const copiedAttributes = ['href', 'src', 'alt', 'title'];

/** Tags that may stand between components: they choose or repeat components, and print nothing of their own. */
const tagsBetweenComponents = new Set([
  'if',
  'elsif',
  'else',
  'endif',
  'unless',
  'endunless',
  'case',
  'when',
  'endcase',
  'for',
  'endfor',
  'break',
  'continue',
  'assign',
  'comment',
  '#',
]);

type Origin = 'layout' | 'body';

/** One piece of Liquid (or a marker) and the placeholder that stands for it while MJML runs. */
interface Hole {
  id: number;
  origin: Origin;
  /** A tag runs once where it stands; an output may be copied (a title is also the body's label). */
  kind: 'tag' | 'output' | 'marker';
  name: string;
  text: string;
  placeholder: string;
}

const holeOpen = '\uE000';
const holeClose = '\uE001';
/** A space inside, so an unquoted attribute splits it and it is found broken; the Liquid's line breaks, so MJML's line numbers stay true. */
const holePattern = /\uE000(\d+) \n*\uE001/g;

interface MjmlNode {
  tagName: string;
  attributes?: Record<string, unknown> | undefined;
  children?: MjmlNode[] | undefined;
  content?: string | undefined;
  line?: number | undefined;
}
const MjmlNode: z.ZodType<MjmlNode> = z.lazy(() =>
  z.object({
    tagName: z.string(),
    attributes: z.record(z.string(), z.unknown()).optional(),
    children: z.array(MjmlNode).optional(),
    content: z.string().optional(),
    line: z.number().optional(),
  }),
);

const MjmlValidationFailure = z.object({
  errors: z.array(
    z.object({ line: z.number().optional(), message: z.string(), tagName: z.string().optional() }),
  ),
});

const lineOf = (text: string, index: number): number => text.slice(0, index).split('\n').length;

/** The Liquid of one source as tokens; a comment or raw block is one piece, as it renders as one. */
const liquidPieces = (
  source: string,
): Array<{ begin: number; end: number; kind: 'tag' | 'output'; name: string }> => {
  const tokens = new Tokenizer(source).readTopLevelTokens();
  const pieces: Array<{ begin: number; end: number; kind: 'tag' | 'output'; name: string }> = [];
  for (let index = 0; index < tokens.length; index += 1) {
    const token = tokens[index];
    if (TypeGuards.isTagToken(token)) {
      if (token.name === 'comment' || token.name === 'raw') {
        const closing = token.name === 'comment' ? 'endcomment' : 'endraw';
        let last = index + 1;
        for (; last < tokens.length; last += 1) {
          const candidate = tokens[last];
          if (TypeGuards.isTagToken(candidate) && candidate.name === closing) break;
        }
        const end = tokens[last]?.end ?? source.length;
        // A raw block prints its text; a comment prints nothing, like a tag.
        pieces.push({
          begin: token.begin,
          end,
          kind: token.name === 'raw' ? 'output' : 'tag',
          name: token.name,
        });
        index = last;
        continue;
      }
      pieces.push({ begin: token.begin, end: token.end, kind: 'tag', name: token.name });
    } else if (TypeGuards.isOutputToken(token)) {
      pieces.push({ begin: token.begin, end: token.end, kind: 'output', name: 'output' });
    }
  }
  return pieces;
};

/** Whitespace control between components would trim the HTML around them, which compiling first never did. */
const withoutWhitespaceControl = (text: string): string => text.replace(/^\{%-/, '{%').replace(/-%\}$/, '%}');

class Holes {
  readonly all: Hole[] = [];

  add(origin: Origin, kind: Hole['kind'], name: string, text: string): Hole {
    const id = this.all.length;
    const placeholder = `${holeOpen}${id} ${'\n'.repeat(text.split('\n').length - 1)}${holeClose}`;
    const hole: Hole = { id, origin, kind, name, text, placeholder };
    this.all.push(hole);
    return hole;
  }

  /** The source with each piece of Liquid replaced by its placeholder. */
  replaceIn(source: string, origin: Origin): string {
    let result = '';
    let at = 0;
    for (const piece of liquidPieces(source)) {
      const text = source.slice(piece.begin, piece.end);
      result += source.slice(at, piece.begin) + this.add(origin, piece.kind, piece.name, text).placeholder;
      at = piece.end;
    }
    return result + source.slice(at);
  }

  in(text: string): Hole[] {
    return [...text.matchAll(holePattern)].flatMap((match) => {
      const hole = this.all[Number(match[1])];
      return hole === undefined ? [] : [hole];
    });
  }

  count(hole: Hole, text: string): number {
    return text.split(hole.placeholder).length - 1;
  }

  /** Every placeholder back to its Liquid. */
  restore(text: string, unchanged: (hole: Hole) => string = (hole) => hole.text): string {
    return text.replace(holePattern, (match, id: string) => {
      const hole = this.all[Number(id)];
      return hole === undefined ? match : unchanged(hole);
    });
  }
}

/** Where MJML put one piece of Liquid; `region` names the one content or attribute it is in. */
type Placement =
  | { at: 'content'; node: MjmlNode; region: string }
  | { at: 'attribute'; node: MjmlNode; attribute: string; region: string }
  | { at: 'between'; node: MjmlNode };

const walk = (node: MjmlNode, visit: (node: MjmlNode, parent: MjmlNode | undefined) => void): void => {
  const step = (current: MjmlNode, parent: MjmlNode | undefined): void => {
    visit(current, parent);
    for (const child of current.children ?? []) step(child, current);
  };
  step(node, undefined);
};

interface Compiled {
  html: string;
  root: MjmlNode;
}

/** Finds the pieces of Liquid in what MJML parsed, and which of them it printed. */
const placementsIn = (compiled: Compiled, holes: Holes): Map<number, Placement> => {
  const placements = new Map<number, Placement>();
  let index = 0;
  walk(compiled.root, (node) => {
    index += 1;
    for (const [attribute, value] of Object.entries(node.attributes ?? {})) {
      if (typeof value !== 'string') continue;
      for (const hole of holes.in(value)) {
        placements.set(hole.id, { at: 'attribute', node, attribute, region: `${index} ${attribute}` });
      }
    }
    if (node.content === undefined) return;
    for (const hole of holes.in(node.content)) {
      // Text MJML printed is a component's content; text it did not is text between components.
      const printed = holes.count(hole, compiled.html) > 0;
      placements.set(
        hole.id,
        printed ? { at: 'content', node, region: `${index}` } : { at: 'between', node },
      );
    }
  });
  return placements;
};

/** Where the one stretch two documents differ by starts and ends in the longer, if one stretch is all they differ by. */
const insertion = (withPart: string, withoutPart: string): { at: number; end: number } | undefined => {
  let prefix = 0;
  while (prefix < withoutPart.length && withPart[prefix] === withoutPart[prefix]) prefix += 1;
  let suffix = 0;
  while (
    suffix < withoutPart.length - prefix &&
    withPart[withPart.length - 1 - suffix] === withoutPart[withoutPart.length - 1 - suffix]
  )
    suffix += 1;
  return prefix + suffix === withoutPart.length ? { at: prefix, end: withPart.length - suffix } : undefined;
};

const componentCount = (mjml: string): number => mjml.match(/<mj-/gi)?.length ?? 0;

/**
 * What is refused before MJML runs: Liquid that does not parse (as a render would refuse
 * it), the characters placeholders are made of, and more components than MJML may take.
 */
const checkBody = (template: Pick<EmailTemplate, 'id' | 'mjml'>): void => {
  try {
    htmlEngine.parse(template.mjml);
  } catch (error) {
    const limit = limitReached(error);
    if (limit !== undefined) {
      const output = { max: emailLimits.fieldBytes.mjml, unit: 'bytes' } as const;
      throw new TemplateLimitExceededError(
        template.id,
        'mjml',
        limitProblem(limit, { output, ...emailLimits.liquid }),
      );
    }
    throw new TemplateRenderError(template.id, `mjml: ${messageOf(error)}`);
  }
  if (template.mjml.includes(holeOpen) || template.mjml.includes(holeClose)) {
    throw new TemplateRenderError(
      template.id,
      'mjml: contains U+E000 or U+E001, private-use characters the compiler reserves',
    );
  }
  // MJML's time grows with the components, not the bytes, so they are counted before it runs.
  const components = componentCount(template.mjml);
  if (components > emailLimits.mjmlComponents) {
    throw new TemplateLimitExceededError(
      template.id,
      'mjml',
      `uses ${components} MJML components, more than the limit of ${emailLimits.mjmlComponents}`,
    );
  }
};

/** The layout's optional part, by the layout it was found in (one, unless the layout is edited while running). */
const optionalParts = new Map<string, Promise<string>>();

class TemplateCompilation {
  private readonly holes = new Holes();
  private readonly startMarker: Hole;
  private readonly endMarker: Hole;
  private readonly document: string;

  constructor(
    private readonly templateId: string,
    private readonly body: string,
  ) {
    const slot = emailLayout.indexOf(bodySlot);
    if (slot === -1 || slot !== emailLayout.lastIndexOf(bodySlot)) {
      throw new Error(`the email layout must hold ${bodySlot} exactly once`);
    }
    // The layout's placeholders and the markers are numbered first, so they are the same for every template.
    const layoutHead = this.holes.replaceIn(emailLayout.slice(0, slot), 'layout');
    const layoutTail = this.holes.replaceIn(emailLayout.slice(slot + bodySlot.length), 'layout');
    this.startMarker = this.holes.add('body', 'marker', 'start', '');
    this.endMarker = this.holes.add('body', 'marker', 'end', '');
    const bodyWithHoles = this.holes.replaceIn(body, 'body');
    this.document = `${layoutHead}<mj-raw>${this.startMarker.placeholder}</mj-raw>${bodyWithHoles}<mj-raw>${this.endMarker.placeholder}</mj-raw>${layoutTail}`;
  }

  private refuse(problem: string, line?: number): TemplateRenderError {
    return new TemplateRenderError(
      this.templateId,
      `mjml: ${line === undefined ? '' : `line ${line} of the body: `}${problem}`,
    );
  }

  /** The line of the body a line of `document` is, if it is in the body. */
  private bodyLine(document: string, line: number | undefined): number | undefined {
    const first = lineOf(document, document.indexOf(this.startMarker.placeholder));
    return line !== undefined && line >= first ? line - first + 1 : undefined;
  }

  private async mjml(document: string): Promise<Compiled> {
    const describe = (issue: {
      line?: number | undefined;
      message: string;
      tagName?: string | undefined;
    }) => {
      const line = this.bodyLine(document, issue.line);
      const restored = this.holes.restore(issue.message);
      // A placeholder MJML split: Liquid in an attribute value without quotes, which ends at its first space.
      const split = /[\uE000\uE001]/.test(restored);
      const liquidInAttribute = this.holes.in(issue.message).some((hole) => hole.origin === 'body');
      const hint = split
        ? '; an attribute holding Liquid needs quotes around its value'
        : liquidInAttribute
          ? `; MJML reads this attribute when the template is compiled, so it cannot hold Liquid (${copiedAttributes.join(', ')} can)`
          : '';
      const message = restored.replace(/[\uE000\uE001]\d*/g, '…');
      return `${issue.tagName ?? 'mjml'} (${line === undefined ? 'the layout' : `line ${line} of the body`}): ${message}${hint}`;
    };
    try {
      const result = await mjml2html(document, mjmlOptions);
      if (result.errors.length > 0) {
        throw new TemplateRenderError(this.templateId, `mjml: ${result.errors.map(describe).join('; ')}`);
      }
      return { html: result.html, root: MjmlNode.parse(result.json) };
    } catch (error) {
      if (error instanceof TemplateRenderError) throw error;
      const validation = MjmlValidationFailure.safeParse(error);
      const problem =
        validation.success && validation.data.errors.length > 0
          ? validation.data.errors.map(describe).join('; ')
          : this.holes.restore(messageOf(error));
      throw new TemplateRenderError(this.templateId, `mjml: ${problem}`);
    }
  }

  private lineOfHole(hole: Hole, document: string): number | undefined {
    return this.bodyLine(document, lineOf(document, document.indexOf(hole.placeholder)));
  }

  /** A block opened in one place and closed in another would not open and close around the same HTML. */
  private checkBlocksClose(regions: Array<{ where: string; holes: Hole[] }>): void {
    for (const { where, holes } of regions) {
      try {
        htmlEngine.parse(holes.map((hole) => hole.text).join(''));
      } catch (error) {
        const first = holes[0];
        throw this.refuse(
          `Liquid ${where} must close there the tags it opens there (${messageOf(error)})`,
          first === undefined ? undefined : this.lineOfHole(first, this.document),
        );
      }
    }
  }

  async compile(): Promise<CompiledEmail> {
    const first = await this.mjml(this.document);
    const placements = placementsIn(first, this.holes);
    const column = this.bodyColumn(first.root);
    const between: Hole[] = [];
    const head: Hole[] = [];
    const regions = new Map<string, { where: string; holes: Hole[] }>();
    for (const hole of this.holes.all) {
      if (hole.kind === 'marker') continue;
      const placement = placements.get(hole.id);
      if (hole.origin === 'layout') {
        if (placement?.at === 'between' && placement.node.tagName === 'mj-head') head.push(hole);
        else if (placement === undefined || placement.at === 'between')
          throw new Error(`the email layout's ${hole.text} is where MJML drops it`);
        continue;
      }
      const line = this.lineOfHole(hole, this.document);
      if (placement === undefined) {
        throw this.refuse(
          `${hole.text} is where MJML drops it (an MJML comment, or an attribute it ignores)`,
          line,
        );
      }
      if (placement.at === 'attribute' && !copiedAttributes.includes(placement.attribute)) {
        throw this.refuse(
          `${hole.text} is in the ${placement.attribute} attribute of ${placement.node.tagName}; MJML reads ${placement.attribute} when the template is compiled, so only ${copiedAttributes.join(', ')} can hold Liquid`,
          line,
        );
      }
      if (placement.at === 'between') {
        if (placement.node !== column) {
          throw this.refuse(
            `${hole.text} stands between the components of ${placement.node.tagName}; Liquid may choose or repeat components only at the top level of the body`,
            line,
          );
        }
        if (hole.kind !== 'tag' || !tagsBetweenComponents.has(hole.name)) {
          throw this.refuse(
            `${hole.text} stands between components, where only if, unless, case, for, assign and comments may; put what it prints inside a component such as mj-text`,
            line,
          );
        }
        between.push(hole);
        continue;
      }
      const region = regions.get(placement.region);
      if (region === undefined) {
        regions.set(placement.region, {
          where:
            placement.at === 'attribute'
              ? `in the ${placement.attribute} attribute of ${placement.node.tagName}`
              : `in the content of ${placement.node.tagName}`,
          holes: [hole],
        });
      } else region.holes.push(hole);
    }
    this.checkBlocksClose([{ where: 'between components', holes: between }, ...regions.values()]);

    const [openPart, closePart] = this.optionalHeadPart(head);
    const withRaws = this.betweenAsRaw(this.document, between);
    const withPart = await this.mjml(this.withoutHoles(withRaws, head));
    this.checkPlaced(withPart.html, new Set(head));
    let html = withPart.html;
    if (openPart !== undefined && closePart !== undefined) {
      const part = await this.optionalPart(withRaws, openPart, closePart, head);
      const [before, after, ...more] = html.split(part);
      if (before === undefined || after === undefined || more.length > 0) {
        throw new Error("the email layout's optional part is not where it was without the body");
      }
      html = `${before}${openPart.placeholder}${part}${closePart.placeholder}${after}`;
    }
    html = this.trimmedAsMjmlTrims(html, withPart, new Set(between));
    const compiled = this.split(html, new Set([...between, ...head]));
    // What a message renders to is checked again at send, where loops and conditions have run.
    checkHtmlSize(this.templateId, compiled.layout + compiled.body);
    return compiled;
  }

  /** The mj-column the body sits in: the parent of the start marker. */
  private bodyColumn(root: MjmlNode): MjmlNode {
    let column: MjmlNode | undefined;
    walk(root, (node, parent) => {
      if (node.tagName === 'mj-raw' && node.content === this.startMarker.placeholder) column = parent;
    });
    if (column === undefined) throw new Error('the body marker was lost');
    return column;
  }

  /** The layout's head may hold one `{% if %}…{% endif %}` (the preheader's preview): compiled with and without it. */
  private optionalHeadPart(head: Hole[]): [Hole | undefined, Hole | undefined] {
    if (head.length === 0) return [undefined, undefined];
    const [open, close] = head;
    if (head.length !== 2 || open?.name !== 'if' || close?.name !== 'endif') {
      throw new Error(
        "the email layout's head may hold one {% if %}…{% endif %} and no other Liquid between its parts",
      );
    }
    return [open, close];
  }

  /**
   * The HTML the layout's optional head part adds, found by compiling the layout with and
   * without it. Without the body: a body may hold components MJML gives random ids
   * (mj-carousel, mj-navbar), which would make two compiles differ elsewhere too. The
   * part is the same with any body, so it is found once.
   */
  private optionalPart(document: string, open: Hole, close: Hole, head: Hole[]): Promise<string> {
    const start = document.indexOf(this.startMarker.placeholder) + this.startMarker.placeholder.length;
    const end = document.indexOf(this.endMarker.placeholder);
    const bodyless = document.slice(0, start) + document.slice(end);
    const cached = optionalParts.get(bodyless);
    if (cached !== undefined) return cached;
    const finding = (async () => {
      const [withPart, withoutPart] = await Promise.all([
        this.mjml(this.withoutHoles(bodyless, head)),
        this.mjml(this.withoutSpan(bodyless, open, close)),
      ]);
      const part = insertion(withPart.html, withoutPart.html);
      if (part === undefined) throw new Error("the email layout's optional part changes more than one place");
      return withPart.html.slice(part.at, part.end);
    })();
    optionalParts.set(bodyless, finding);
    return finding;
  }

  /** Each run of tags between components becomes one mj-raw; the line breaks between them stay outside it. */
  private betweenAsRaw(document: string, between: Hole[]): string {
    let result = document;
    const runs: Hole[][] = [];
    for (const hole of between) {
      const run = runs[runs.length - 1];
      const previous = run?.[run.length - 1];
      const gap =
        previous === undefined
          ? undefined
          : document.slice(
              document.indexOf(previous.placeholder) + previous.placeholder.length,
              document.indexOf(hole.placeholder),
            );
      if (run !== undefined && gap !== undefined && gap.trim() === '') run.push(hole);
      else runs.push([hole]);
    }
    for (const run of runs) {
      const firstHole = run[0];
      const lastHole = run[run.length - 1];
      if (firstHole === undefined || lastHole === undefined) continue;
      const start = result.indexOf(firstHole.placeholder);
      const end = result.indexOf(lastHole.placeholder) + lastHole.placeholder.length;
      const spanned = result.slice(start, end);
      const lineBreaks = '\n'.repeat(
        spanned.split('\n').length - 1 - run.reduce((sum, hole) => sum + hole.text.split('\n').length - 1, 0),
      );
      result = `${result.slice(0, start)}<mj-raw>${run.map((hole) => hole.placeholder).join('')}</mj-raw>${lineBreaks}${result.slice(end)}`;
    }
    return result;
  }

  private withoutHoles(document: string, holes: Hole[]): string {
    return holes.reduce((text, hole) => text.replace(hole.placeholder, ''), document);
  }

  private withoutSpan(document: string, open: Hole, close: Hole): string {
    const start = document.indexOf(open.placeholder);
    const end = document.indexOf(close.placeholder) + close.placeholder.length;
    return document.slice(0, start) + document.slice(end);
  }

  /**
   * A tag runs once where it stands, and no Liquid may sit where MJML changes what is
   * around it: inside an Outlook conditional comment (whose spaces MJML collapses) or
   * between two of them (which MJML merges when nothing stands between).
   */
  private checkPlaced(html: string, removed: Set<Hole>): void {
    for (const hole of this.holes.all) {
      if (removed.has(hole)) continue;
      const count = this.holes.count(hole, html);
      if (count === 0 || (hole.kind !== 'output' && count !== 1)) {
        throw this.refuse(
          count === 0
            ? `${hole.text} is where MJML drops it`
            : `${hole.text} would run ${count} times in the HTML; put it inside one component's content`,
          this.lineOfHole(hole, this.document),
        );
      }
    }
    const inConditional = [...html.matchAll(/<!--\[if\s[^\]]+]>([\s\S]*?)<!\[endif]-->/g)].flatMap((match) =>
      this.holes.in(match[1] ?? ''),
    );
    const betweenConditionals = [
      ...html.matchAll(/<!\[endif]-->\s*((?:\uE000\d+ \n*\uE001\s*)+)<!--\[if/g),
    ].flatMap((match) => this.holes.in(match[1] ?? ''));
    const misplaced = [...inConditional, ...betweenConditionals][0];
    if (misplaced !== undefined) {
      throw this.refuse(
        `${misplaced.text} lands in MJML's Outlook markup, which MJML rewrites; put it inside a component's content`,
        this.lineOfHole(misplaced, this.document),
      );
    }
  }

  /** MJML trims a component's content; content that begins or ends with Liquid is trimmed once rendered, as MJML trimmed it. */
  private trimmedAsMjmlTrims(html: string, compiled: Compiled, between: Set<Hole>): string {
    let name = 'rapport_trimmed';
    while (this.body.includes(name) || emailLayout.includes(name)) name += '_';
    const placements = placementsIn(compiled, this.holes);
    const inContent = (hole: Hole) =>
      hole.kind !== 'marker' && !between.has(hole) && placements.get(hole.id)?.at === 'content';
    let result = html;
    walk(compiled.root, (node) => {
      const content = node.content;
      if (content === undefined || !result.includes(content)) return;
      const holes = this.holes.in(content);
      const first = holes[0];
      const last = holes[holes.length - 1];
      const startsWithLiquid = first !== undefined && content.startsWith(first.placeholder);
      const endsWithLiquid = last !== undefined && content.endsWith(last.placeholder);
      if (!startsWithLiquid && !endsWithLiquid) return;
      if (!holes.some(inContent)) return;
      const open = this.holes.add('layout', 'tag', 'capture', `{% capture ${name} %}`);
      const close = this.holes.add(
        'layout',
        'tag',
        'endcapture',
        `{% endcapture %}{{ ${name} | strip | raw }}`,
      );
      result = result.split(content).join(`${open.placeholder}${content}${close.placeholder}`);
    });
    return result;
  }

  /** The layout with `{{ body | raw }}` where the body was, and the body; every placeholder back to its Liquid. */
  private split(html: string, betweenParts: Set<Hole>): CompiledEmail {
    const start = html.indexOf(this.startMarker.placeholder);
    const end = html.indexOf(this.endMarker.placeholder);
    if (start === -1 || end < start) throw new Error('the body markers were lost');
    const restore = (text: string) =>
      this.holes.restore(text, (hole) =>
        betweenParts.has(hole) ? withoutWhitespaceControl(hole.text) : hole.text,
      );
    const layoutPart = `${html.slice(0, start)}${bodySlot}${html.slice(end + this.endMarker.placeholder.length)}`;
    const bodyPart = html.slice(start + this.startMarker.placeholder.length, end);
    if (this.holes.in(layoutPart).some((hole) => hole.origin === 'body' && hole.kind !== 'marker')) {
      throw new Error("the body's Liquid left the body");
    }
    return { layout: restore(layoutPart), body: restore(bodyPart) };
  }
}

/** Compiled templates by their body's MJML: previews and trial renders of one draft compile it once. */
const compiledCache = new Map<string, Promise<CompiledEmail>>();
const cacheLimit = 100;

/**
 * Compiles a template's MJML, placed in the layout, to HTML that still holds its Liquid
 * (see the top of this file). What it makes depends on the body alone. Throws
 * TemplateRenderError for a template MJML refuses or whose Liquid cannot be carried.
 */
export const compileEmail = (template: Pick<EmailTemplate, 'id' | 'mjml'>): Promise<CompiledEmail> => {
  const cached = compiledCache.get(template.mjml);
  if (cached !== undefined) return cached;
  const compiling = (async () => {
    checkBody(template);
    return new TemplateCompilation(template.id, template.mjml).compile();
  })();
  if (compiledCache.size >= cacheLimit) {
    const oldest = compiledCache.keys().next();
    if (oldest.done !== true) compiledCache.delete(oldest.value);
  }
  compiledCache.set(template.mjml, compiling);
  // A failure names the template it was found in, so it is not kept for another.
  compiling.catch(() => compiledCache.delete(template.mjml));
  return compiling;
};
