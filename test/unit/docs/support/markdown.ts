/**
 * Just enough of Markdown to check what the README and docs/ claim: fenced code
 * blocks, inline code, headings as GitHub anchors them, and links. Anything inside
 * a fence is code, never a heading or a link (a `# comment` in a shell block is not
 * a heading).
 */

export interface CodeBlock {
  /** What follows the opening fence: `sh`, `yaml`, or empty. */
  info: string;
  body: string;
  /** 1-based line of the opening fence. */
  line: number;
}

export interface Markdown {
  codeBlocks: CodeBlock[];
  /** The text with every fenced block's lines blanked, so line numbers still hold. */
  prose: string;
}

const fence = /^ {0,3}(`{3,}|~{3,})\s*(.*)$/;

export const readMarkdown = (text: string): Markdown => {
  const lines = text.split('\n');
  const codeBlocks: CodeBlock[] = [];
  const prose: string[] = [];
  let open: { marker: string; info: string; line: number; body: string[] } | undefined;
  for (const [index, line] of lines.entries()) {
    const match = fence.exec(line);
    if (open === undefined) {
      if (match?.[1] !== undefined) {
        open = { marker: match[1], info: (match[2] ?? '').trim(), line: index + 1, body: [] };
        prose.push('');
      } else {
        prose.push(line);
      }
      continue;
    }
    const closes =
      match?.[1] !== undefined &&
      match[1][0] === open.marker[0] &&
      match[1].length >= open.marker.length &&
      (match[2] ?? '').trim() === '';
    if (closes) {
      codeBlocks.push({ info: open.info, body: open.body.join('\n'), line: open.line });
      open = undefined;
    } else {
      open.body.push(line);
    }
    prose.push('');
  }
  return { codeBlocks, prose: prose.join('\n') };
};

/** Inline code spans of prose, a span's line breaks read as spaces (as Markdown renders them). */
export const inlineCode = (prose: string): string[] =>
  [...prose.matchAll(/(`+)([\s\S]*?[^`])\1(?!`)/g)].map((match) =>
    (match[2] ?? '').replace(/\s*\n\s*/g, ' '),
  );

/** Prose without its inline code, where `[x](y)` is not a link. */
const withoutInlineCode = (prose: string): string =>
  prose.replace(/(`+)([\s\S]*?[^`])\1(?!`)/g, (span) => span.replace(/[^\n]/g, ' '));

/**
 * The anchor GitHub gives a heading: lower case, every character that is not a
 * letter, mark, digit, `_`, `-` or space dropped, spaces made hyphens.
 */
export const githubSlug = (heading: string): string =>
  heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<[^>]*>/g, '')
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}_\- ]/gu, '')
    .replace(/ /g, '-');

/** Every anchor the file's headings get; a repeated heading gets `-1`, `-2`… as on GitHub. */
export const anchorsOf = (markdown: Markdown): Set<string> => {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const line of markdown.prose.split('\n')) {
    const heading = /^ {0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$/.exec(line);
    if (heading?.[1] === undefined) continue;
    const slug = githubSlug(heading[1]);
    const times = seen.get(slug) ?? 0;
    seen.set(slug, times + 1);
    anchors.add(times === 0 ? slug : `${slug}-${times}`);
  }
  return anchors;
};

export interface Link {
  target: string;
  line: number;
}

/** Inline links and images in prose: `[text](target)`, `![alt](target "title")`. */
export const linksOf = (markdown: Markdown): Link[] => {
  const prose = withoutInlineCode(markdown.prose);
  return [...prose.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((match) => ({
    target: match[1] ?? '',
    line: prose.slice(0, match.index).split('\n').length,
  }));
};

/** The section under a `## heading` up to the next heading of that level or above. */
export const section = (markdown: Markdown, title: string): Markdown => {
  const lines = markdown.prose.split('\n');
  const start = lines.findIndex((line) => /^##\s/.test(line) && line.replace(/^##\s+/, '').trim() === title);
  if (start < 0) return { codeBlocks: [], prose: '' };
  const after = lines.slice(start + 1).findIndex((line) => /^#{1,2}\s/.test(line));
  const end = after < 0 ? lines.length : start + 1 + after;
  return {
    prose: lines.slice(start, end).join('\n'),
    codeBlocks: markdown.codeBlocks.filter((block) => block.line > start + 1 && block.line <= end),
  };
};
