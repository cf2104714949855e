import { describe, expect, it } from 'vitest';
import {
  ConditionBudgetExceededError,
  conditionProblem,
  matchesCondition,
  withConditionBudget,
} from '../../../lib/domain/conditions.js';

const named = (name: string) => ({ contact: { name } });

describe('when a condition holds a regular expression', () => {
  it('matches in linear time where a backtracking engine takes exponential time', () => {
    // The public signup's name field and the pattern from the report: 2^30 steps for JavaScript's engine.
    const condition = { 'contact.name': { $regex: '^(a+)+$' } };
    expect(matchesCondition(condition, named(`${'a'.repeat(30)}!`))).toBe(false);
    expect(matchesCondition(condition, named('a'.repeat(100_000)))).toBe(true);
  });

  it('takes the flags i, m and s', () => {
    expect(matchesCondition({ 'contact.name': { $regex: '^ann', $options: 'i' } }, named('ANNA'))).toBe(true);
    expect(matchesCondition({ 'contact.name': { $regex: '^b', $options: 'm' } }, named('a\nb'))).toBe(true);
    expect(matchesCondition({ 'contact.name': { $not: { $regex: '^ann' } } }, named('bob'))).toBe(true);
  });

  it('matches any element of a list, as sift does', () => {
    expect(
      matchesCondition(
        { 'contact.topics': { $regex: '^news' } },
        { contact: { topics: ['x', 'newsletter'] } },
      ),
    ).toBe(true);
  });

  it('refuses at validation what a linear-time engine cannot do, with its reason', () => {
    expect(conditionProblem({ 'contact.name': { $regex: '(a)\\1' } })).toMatch(/invalid escape sequence/);
    expect(conditionProblem({ 'contact.name': { $regex: '(?=a)' } })).toMatch(/unsupported Perl syntax/);
    expect(conditionProblem({ 'contact.name': { $regex: 'a', $options: 'x' } })).toBe(
      '$options "x" is not one of i, m, s',
    );
  });
});

describe('when conditions run past their budget', () => {
  it('refuses the next condition instead of evaluating it', () => {
    const condition = { 'contact.name': 'ann' };
    expect(() =>
      withConditionBudget(0, () => {
        const waitUntil = performance.now() + 2;
        while (performance.now() < waitUntil) {
          // the budget of zero has passed
        }
        return matchesCondition(condition, named('ann'));
      }),
    ).toThrow(ConditionBudgetExceededError);
  });

  it('does not limit conditions outside a budget', () => {
    expect(matchesCondition({ 'contact.name': 'ann' }, named('ann'))).toBe(true);
  });
});
