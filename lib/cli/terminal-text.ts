import { controlCharacterPattern } from '../domain/control-characters.js';

/**
 * What the CLI prints comes partly from strangers: a name typed into the signup
 * form, a product row from an import. A control character in it would reach the
 * operator's terminal and be obeyed (recolour it, retitle the window, move the
 * cursor, forge a line). So the CLI prints only `TerminalText`, and the only ways
 * to make one pass every value through `escapeForTerminal`; what is not escaped is
 * the CLI's own layout, written in its source.
 */

const obeyedByTerminals = new RegExp(controlCharacterPattern, 'gu');

const shortEscapes: Readonly<Record<string, string>> = {
  '\b': '\\b',
  '\t': '\\t',
  '\n': '\\n',
  '\f': '\\f',
  '\r': '\\r',
};

/**
 * Shows every character a terminal would act on as its JSON escape (`\u001b`, `\n`,
 * `\u202e`), so the operator sees it instead of the terminal obeying it. JSON escapes,
 * so that JSON text stays valid JSON with the same value; backslashes are left as
 * they are, so Windows paths read normally. Escaping twice changes nothing.
 */
export const escapeForTerminal = (value: string): string =>
  value.replace(
    obeyedByTerminals,
    (character) => shortEscapes[character] ?? `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );

/** The breaks the CLI's own layout puts between lines and blocks. */
export type LayoutBreak = '\n' | '\n\n';

/** Text safe to print to a terminal: its values are escaped, its layout is the CLI's. */
export class TerminalText {
  private constructor(private readonly text: string) {}

  static fromTemplate(literals: TemplateStringsArray, values: readonly unknown[]): TerminalText {
    return new TerminalText(
      literals.reduce((text, literal, index) => {
        const hasValue = index < values.length;
        return `${text}${literal}${hasValue ? TerminalText.from(values[index]).text : ''}`;
      }, ''),
    );
  }

  /** A value as one piece of text: a TerminalText as it is, anything else escaped whole. */
  static from(value: unknown): TerminalText {
    return value instanceof TerminalText ? value : new TerminalText(escapeForTerminal(String(value)));
  }

  static join(parts: ReadonlyArray<unknown>, separator: LayoutBreak): TerminalText {
    return new TerminalText(parts.map((part) => TerminalText.from(part).text).join(separator));
  }

  toString(): string {
    return this.text;
  }
}

/**
 * A template literal for the terminal: the literal parts are the CLI's layout and
 * pass as they are; every interpolated value is escaped (TerminalText values are
 * already safe and pass as they are).
 */
export const terminal = (literals: TemplateStringsArray, ...values: unknown[]): TerminalText =>
  TerminalText.fromTemplate(literals, values);

/** Lines (or blocks) one under the other; a string is one line, its newlines shown escaped. */
export const terminalLines = (lines: ReadonlyArray<unknown>, separator: LayoutBreak = '\n'): TerminalText =>
  TerminalText.join(lines, separator);

/**
 * Multi-line text whose own line breaks are meant (an email's plain-text body):
 * each line is escaped on its own, so a stray CR or escape sequence still shows.
 */
export const terminalParagraphs = (text: string): TerminalText => terminalLines(text.split(/\r?\n/));

/**
 * Pretty JSON for `--json`. JSON.stringify escapes C0 controls but leaves DEL, C1
 * controls, bidi characters and U+2028/U+2029 raw; it never puts a raw newline in a
 * string, so each of its lines is escaped on its own and the output parses to the
 * same value.
 */
export const terminalJson = (data: unknown): TerminalText => {
  const json: string | undefined = JSON.stringify(data, null, 2);
  return terminalLines(json === undefined ? [] : json.split('\n'));
};
