import { z } from 'zod';
import { controlCharactersProblem, hasControlCharacters } from './control-characters.js';

/**
 * A product category as a path, department first: `books/crime`,
 * `office/copiers`. A flat category (`books`) is a path of one level, so every
 * category in use before paths is still one. Events carry the category with
 * every level above it (`categories: ["books", "books/crime"]`), so a journey
 * can trigger on the department while the customer card, recommendations and
 * launches work on the full path.
 */

export const categorySeparator = '/';
/** What a category has always been allowed; DynamoDB keys (`CAT#<category>`) take far more. */
export const maxCategoryLength = 100;
/** Deeper than any shop's navigation; bounds the levels an event carries and the release entries a product writes. */
export const maxCategoryDepth = 8;

/** Why the text is not a category path, or undefined when it is one. */
const pathProblem = (text: string): string | undefined => {
  if (text.length === 0) return 'must not be empty';
  if (text.length > maxCategoryLength) return `has ${text.length} characters; at most ${maxCategoryLength}`;
  if (hasControlCharacters(text)) return controlCharactersProblem;
  if (text.startsWith(categorySeparator) || text.endsWith(categorySeparator))
    return `must not start or end with "${categorySeparator}"; levels go between them, such as books/crime`;
  const levels = text.split(categorySeparator);
  if (levels.some((level) => level === ''))
    return `has an empty level ("${categorySeparator}${categorySeparator}"); levels are separated by one "${categorySeparator}"`;
  // `books / crime` would file the book under "books " and "books " is not "books": refused, not guessed at.
  if (levels.some((level) => level.trim() !== level))
    return `has a level that starts or ends with a space; write books/crime, not books / crime`;
  if (levels.length > maxCategoryDepth) return `has ${levels.length} levels; at most ${maxCategoryDepth}`;
  return undefined;
};

/**
 * A category as an operator gives it (a product, an import row). Any letters,
 * digits, spaces and punctuation, as catalogs name things ("Home & Garden",
 * "Bücher"); what is refused is what breaks a path or a line: a `/` at either
 * end or twice in a row, spaces around a level, control characters.
 */
export const CategoryPath = z.string().superRefine((text, context) => {
  const problem = pathProblem(text);
  if (problem !== undefined) context.addIssue({ code: 'custom', message: problem });
});
export type CategoryPath = z.infer<typeof CategoryPath>;

/**
 * A category as stored before paths had rules: any non-empty text. Stored
 * products are read with it, so one filed under `books/` by an older version
 * can still be read, changed or removed; it counts as a single flat level.
 */
export const StoredCategory = z.string().min(1);

export const isCategoryPath = (text: string): boolean => pathProblem(text) === undefined;

/**
 * The category and every level above it, department first:
 * `books/crime/nordic` → `books`, `books/crime`, `books/crime/nordic`. Text
 * that is not a path (a category a shop sent on an order as `Books//Crime`, or
 * one stored before paths) is its own only level, as every category was
 * before paths.
 */
export const ancestorsOf = (category: string): string[] => {
  if (!isCategoryPath(category)) return [category];
  const levels = category.split(categorySeparator);
  return levels.map((_, depth) => levels.slice(0, depth + 1).join(categorySeparator));
};

/**
 * The fields with `categories` beside their `category`: what events carry, so
 * a condition such as `event.data.categories: books` matches every book. Fields
 * without a category are returned as they are; a `categories` the fields had
 * is replaced, since it is derived from `category` wherever events carry one.
 */
export const withCategories = <T extends { category?: unknown }>(
  fields: T,
): T | (T & { categories: string[] }) =>
  typeof fields.category === 'string' ? { ...fields, categories: ancestorsOf(fields.category) } : fields;
