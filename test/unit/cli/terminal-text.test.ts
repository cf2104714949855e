import { describe, expect, it } from 'vitest';
import { formatTable } from '../../../lib/cli/table.js';
import {
  escapeForTerminal,
  terminal,
  terminalJson,
  terminalLines,
  terminalParagraphs,
} from '../../../lib/cli/terminal-text.js';
import { obeyedCharacters } from './obeyed-characters.js';

describe('escapeForTerminal', () => {
  it.each([
    ['ESC and BEL', 'a\u001b[31mb\u0007', 'a\\u001b[31mb\\u0007'],
    ['CR, LF and TAB', 'a\r\nb\tc', 'a\\r\\nb\\tc'],
    ['NUL and DEL', 'a\u0000b\u007f', 'a\\u0000b\\u007f'],
    ['C1 controls (CSI, NEL)', 'a\u009b2Jb\u0085', 'a\\u009b2Jb\\u0085'],
    ['bidi overrides and isolates', '\u202egnp.exe\u2066\u2069\u200f', '\\u202egnp.exe\\u2066\\u2069\\u200f'],
    ['line and paragraph separators', 'a\u2028b\u2029', 'a\\u2028b\\u2029'],
  ])('shows %s as escapes', (_, raw, shown) => {
    expect(escapeForTerminal(raw)).toBe(shown);
  });

  it('leaves letters, emoji sequences and backslashes alone', () => {
    const text = 'José 中文 👨‍👩‍👧 C:\\shop\\n';
    expect(escapeForTerminal(text)).toBe(text);
  });

  it('changes nothing when applied twice', () => {
    const once = escapeForTerminal('a\u001b\n\u202e');
    expect(escapeForTerminal(once)).toBe(once);
  });
});

describe('terminal text', () => {
  it('escapes the values of a template, not its own layout', () => {
    const name = 'Ann\nforged';
    expect(terminal`name: ${name}\nnext line`.toString()).toBe('name: Ann\\nforged\nnext line');
  });

  it('passes text that is already terminal text as it is', () => {
    const inner = terminalLines(['one', 'two\u0007']);
    expect(terminal`${inner}\n${'three\r'}`.toString()).toBe('one\ntwo\\u0007\nthree\\r');
  });

  it('keeps the meant line breaks of a paragraph, and shows a stray CR or escape', () => {
    expect(terminalParagraphs('Hello\r\nthere\u001b[2J\rnow\n').toString()).toBe(
      'Hello\nthere\\u001b[2J\\rnow\n',
    );
  });

  it('prints JSON that parses to the same value, with nothing a terminal acts on', () => {
    const data = { name: 'a\u0085b\u202ec\u2028d\u007f', list: [1, 'e\u001b'] };
    const text = terminalJson(data).toString();

    expect(obeyedCharacters(text)).toEqual([]);
    expect(JSON.parse(text)).toEqual(data);
  });
});

describe('formatTable', () => {
  it('keeps each row on its own line and aligned when cells hold control characters', () => {
    const table = formatTable([
      { name: 'Ann\r\nBob  x', id: '1' },
      { name: 'Cy\u001b[8m', id: '2' },
    ]).toString();

    expect(table.split('\n')).toEqual([
      'name           id',
      '-------------  --',
      'Ann\\r\\nBob  x  1',
      'Cy\\u001b[8m    2',
    ]);
  });

  it('escapes column names too, since they come from the data', () => {
    expect(
      formatTable([{ 'a\nb': 1 }])
        .toString()
        .split('\n')[0],
    ).toBe('a\\nb');
  });
});
