import { posix } from 'node:path';
import { inlineCode, linksOf, type Markdown } from './markdown.js';

/**
 * What a page claims that the code can confirm: the HTTP routes it names, the npm
 * scripts and `npx rapport` commands it tells people to run, and the files its
 * links point at. Each check returns its problems, one line each, so a failure
 * names every claim that is wrong at once.
 */

export interface RouteMention {
  /** Absent where the page names the path only (a bare path, a link in prose). */
  method?: string;
  path: string;
}

export interface Route {
  method: string;
  /** A resource path: literal segments and `{name}` parameters. */
  path: string;
}

const localApiHosts = new Set(['127.0.0.1:3000', 'localhost:3000']);
const apiPrefix = /^\/(v1|admin|local)\//;
const pathCharacters = '[A-Za-z0-9._~{}<>%/-]';

const cleanPath = (path: string): string => {
  const trimmed = path.replace(/[.:]+$/, '');
  return trimmed.length > 1 ? trimmed.replace(/\/+$/, '') : '/';
};

/** Shell lines of the page's code blocks, a trailing `\` joining a line to the next. */
const shellLines = (markdown: Markdown): string[] =>
  markdown.codeBlocks.flatMap((block) => block.body.replace(/\\\n/g, ' ').split('\n'));

const curlMethod = (line: string): string => {
  const explicit = /(?:^|\s)(?:-X|--request)\s+([A-Z]+)/.exec(line)?.[1];
  if (explicit !== undefined) return explicit;
  if (/(?:^|\s)(?:-I|--head)(?:\s|$)/.test(line)) return 'HEAD';
  return /(?:^|\s)(?:-d|--data|--data-raw|--data-binary|-F|--form)(?:\s|$)/.test(line) ? 'POST' : 'GET';
};

const urlPattern = /\bhttps?:\/\/([^\s/'"`)\\<>]+)(\/[^\s'"`)\\<>?#]*)?/g;

export const routeMentions = (markdown: Markdown): RouteMention[] => {
  const text = [markdown.prose, ...markdown.codeBlocks.map((block) => block.body)].join('\n');
  const mentions: RouteMention[] = [];
  for (const match of text.matchAll(
    new RegExp(`\\b(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS)\\s+(/${pathCharacters}*)`, 'g'),
  )) {
    mentions.push({ method: match[1] ?? '', path: cleanPath(match[2] ?? '/') });
  }
  for (const match of text.matchAll(urlPattern)) {
    const path = cleanPath(match[2] ?? '/');
    if (localApiHosts.has(match[1] ?? '') || apiPrefix.test(`${path}/`)) mentions.push({ path });
  }
  for (const match of text.matchAll(
    new RegExp(`(?<![\\w.:/~-])/(?:v1|admin|local)/[A-Za-z0-9{<]${pathCharacters}*`, 'g'),
  )) {
    mentions.push({ path: cleanPath(match[0]) });
  }
  for (const line of shellLines(markdown).filter((candidate) => /\bcurl\b/.test(candidate))) {
    const method = curlMethod(line);
    for (const match of line.matchAll(urlPattern)) {
      if (localApiHosts.has(match[1] ?? '')) mentions.push({ method, path: cleanPath(match[2] ?? '/') });
    }
  }
  return mentions;
};

const segments = (path: string): string[] => path.split('/').filter((segment) => segment !== '');
const isParameter = (segment: string): boolean => /^\{[^}]+\}$/.test(segment);
const isPlaceholder = (segment: string): boolean => /^(\{[^}]+\}|<[^>]+>)$/.test(segment);

/** `/admin/contacts/{id}` covers `/admin/contacts/01JD…` and `/admin/contacts/<id>`, not `/admin/contacts/a/b`. */
export const pathMatches = (template: string, path: string): boolean => {
  const wanted = segments(template);
  const given = segments(path);
  return (
    wanted.length === given.length &&
    wanted.every((segment, index) => {
      const part = given[index] ?? '';
      return isParameter(segment) || (!isPlaceholder(part) && segment === part);
    })
  );
};

/** HEAD is answered wherever GET is, in both runtimes. */
const answers = (route: Route, method: string): boolean =>
  route.method === method || (method === 'HEAD' && route.method === 'GET');

export const routeProblems = (markdown: Markdown, routes: readonly Route[]): string[] =>
  routeMentions(markdown).flatMap((mention) => {
    const { method } = mention;
    const known = routes.some(
      (route) => pathMatches(route.path, mention.path) && (method === undefined || answers(route, method)),
    );
    return known ? [] : [`${method ?? '(any method)'} ${mention.path}`];
  });

export const npmScriptsMentioned = (markdown: Markdown): string[] => {
  const text = [markdown.prose, ...markdown.codeBlocks.map((block) => block.body)].join('\n');
  return [
    ...[...text.matchAll(/\bnpm\s+run\s+([A-Za-z0-9:._-]+)/g)].map((match) => match[1] ?? ''),
    ...[...text.matchAll(/\bnpm\s+(start|test)\b/g)].map((match) => match[1] ?? ''),
  ];
};

export interface CliMention {
  group: string;
  command: string;
  /** The line as written, for the failure message. */
  line: string;
}

/**
 * `npx rapport [options] <group> <command> …` in inline code and in code blocks.
 * `valueOptions` are the options that take a value (`--api <url>`), so that value
 * is not read as the group.
 */
export const cliMentions = (markdown: Markdown, valueOptions: ReadonlySet<string>): CliMention[] => {
  const sources = [...inlineCode(markdown.prose), ...shellLines(markdown)];
  return sources.flatMap((source) =>
    [...source.matchAll(/\bnpx\s+rapport\b([^#`\n]*)/g)].flatMap((match) => {
      const tokens = (match[1] ?? '').trim().split(/\s+/);
      let index = 0;
      while (tokens[index]?.startsWith('-')) {
        const option = tokens[index] ?? '';
        index += valueOptions.has(option) ? 2 : 1;
      }
      const [group, command] = [tokens[index], tokens[index + 1]];
      const word = /^[a-z][a-z-]*$/;
      if (group === undefined || command === undefined || !word.test(group) || !word.test(command)) return [];
      return [{ group, command, line: match[0].trim() }];
    }),
  );
};

export interface LinkTargets {
  /** Whether a repository-relative path names a file or folder. */
  exists(path: string): boolean;
  /** The heading anchors of a repository-relative Markdown file. */
  anchors(path: string): Set<string>;
}

/** Relative links from `file` (repository-relative) must reach a file, and `#anchor`s a heading in it. */
export const linkProblems = (file: string, markdown: Markdown, targets: LinkTargets): string[] =>
  linksOf(markdown).flatMap(({ target, line }) => {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('//')) return [];
    const [pathPart = '', anchor] = target.split('#', 2);
    const path = pathPart === '' ? file : posix.normalize(posix.join(posix.dirname(file), pathPart));
    const where = `${file}:${line} → ${target}`;
    if (path.startsWith('..') || !targets.exists(path)) return [`${where}: no such file`];
    if (anchor === undefined || !path.endsWith('.md')) return [];
    return targets.anchors(path).has(decodeURIComponent(anchor).toLowerCase())
      ? []
      : [`${where}: no heading "${anchor}" in ${path}`];
  });
