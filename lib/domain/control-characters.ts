import type { z } from 'zod';

/**
 * Characters that act rather than show: C0 and C1 controls and DEL (Cc), bidi
 * overrides and isolates (Bidi_Control), and the Unicode line and paragraph
 * separators. In a name they forge lines in a mail or a terminal, reverse what
 * follows (U+202E), or cut a C string short (NUL). Other format characters stay:
 * emoji need the zero-width joiner.
 */
export const controlCharacterPattern = '[\\p{Cc}\\p{Bidi_Control}\\p{Zl}\\p{Zp}]';

const anyControlCharacter = new RegExp(controlCharacterPattern, 'u');

export const hasControlCharacters = (text: string): boolean => anyControlCharacter.test(text);

export const controlCharactersProblem =
  'must not contain control characters (line breaks, tabs, NUL, bidi overrides such as U+202E)';

/** `schema`, refusing control characters: for text a person reads in one line (a name, a product name). */
export const withoutControlCharacters = <T extends z.ZodType<string>>(schema: T): T =>
  schema.refine((text) => !hasControlCharacters(text), controlCharactersProblem);
