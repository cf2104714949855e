import { describe, expect, it } from 'vitest';
import {
  ancestorsOf,
  CategoryPath,
  maxCategoryDepth,
  maxCategoryLength,
  withCategories,
} from '../../../lib/domain/category-path.js';

const problemOf = (text: string): string | undefined => {
  const parsed = CategoryPath.safeParse(text);
  return parsed.success ? undefined : parsed.error.issues[0]?.message;
};

describe('a category path', () => {
  it('takes a department and the levels under it, separated by "/"', () => {
    for (const path of ['books/crime', 'books/crime/nordic', 'office/copiers', 'Home & Garden/Bücher'])
      expect(CategoryPath.parse(path)).toBe(path);
  });

  it('keeps every flat category valid, spaces and punctuation included', () => {
    for (const flat of ['books', 'copiers', 'Home & Garden', 'Kids’ books (0-3)', 'v1.5', 'garden#tools'])
      expect(CategoryPath.parse(flat)).toBe(flat);
  });

  it('refuses a "/" at either end, an empty level, and spaces around a level, saying which', () => {
    expect(problemOf('/books')).toContain('must not start or end with "/"');
    expect(problemOf('books/')).toContain('must not start or end with "/"');
    expect(problemOf('books//crime')).toContain('an empty level');
    expect(problemOf('books / crime')).toContain('starts or ends with a space');
    expect(problemOf(' books')).toContain('starts or ends with a space');
    expect(problemOf('')).toBe('must not be empty');
  });

  it('refuses control characters, more than the allowed length, and more than the allowed levels', () => {
    expect(problemOf('books/cri\nme')).toContain('control characters');
    expect(problemOf('books/\u202Eemirc')).toContain('control characters');
    expect(problemOf('b'.repeat(maxCategoryLength))).toBeUndefined();
    expect(problemOf('b'.repeat(maxCategoryLength + 1))).toContain(`at most ${maxCategoryLength}`);
    const levels = (count: number) => Array.from({ length: count }, (_, i) => `l${i}`).join('/');
    expect(problemOf(levels(maxCategoryDepth))).toBeUndefined();
    expect(problemOf(levels(maxCategoryDepth + 1))).toContain(`at most ${maxCategoryDepth}`);
  });
});

describe('the levels of a category', () => {
  it('are the department, each level under it, and the category itself, department first', () => {
    expect(ancestorsOf('books/crime')).toEqual(['books', 'books/crime']);
    expect(ancestorsOf('books/crime/nordic')).toEqual(['books', 'books/crime', 'books/crime/nordic']);
  });

  it('are the category alone when it is flat', () => {
    expect(ancestorsOf('books')).toEqual(['books']);
  });

  it('are the text alone when it is not a path, as a shop may send it on an order', () => {
    expect(ancestorsOf('Books//Crime')).toEqual(['Books//Crime']);
    expect(ancestorsOf('/books')).toEqual(['/books']);
  });
});

describe('fields that carry a category', () => {
  it('get its levels beside it as categories', () => {
    expect(withCategories({ sku: 'B-1', category: 'books/crime' })).toEqual({
      sku: 'B-1',
      category: 'books/crime',
      categories: ['books', 'books/crime'],
    });
  });

  it('are left as they are without one', () => {
    const fields: { sku: string; category?: string } = { sku: 'B-1' };
    expect(withCategories(fields)).toBe(fields);
    expect(withCategories({ sku: 'B-1', category: 7 })).toEqual({ sku: 'B-1', category: 7 });
  });
});
