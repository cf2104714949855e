/**
 * The characters of `text` a terminal would act on rather than show: C0 controls
 * but the layout's newline, DEL, C1 controls, bidi marks, overrides and isolates,
 * and the line and paragraph separators. Written out by code point, apart from the
 * CLI's own definition, so a test does not check the code against itself.
 */
export const obeyedCharacters = (text: string): string[] =>
  [...text].filter((character) => {
    const code = character.codePointAt(0) ?? 0;
    return (
      (code < 0x20 && code !== 0x0a) ||
      (code >= 0x7f && code <= 0x9f) ||
      [0x061c, 0x200e, 0x200f, 0x2028, 0x2029].includes(code) ||
      (code >= 0x202a && code <= 0x202e) ||
      (code >= 0x2066 && code <= 0x2069)
    );
  });
