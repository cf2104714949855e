import { useEffect, useState } from 'react';
import type { Problem } from '../../lib/domain/problem.js';

const problemId = (path: string): string => `${path.replace(/\./g, '-')}-problem`;

/**
 * The problems the API names for a form, by field: what to show beside each,
 * and the attributes that tie a field to its problem for assistive technology.
 */
export const fieldProblems = (problems: readonly Problem[]) => {
  const at = (path: string): string =>
    problems
      .filter((problem) => problem.path === path || problem.path.startsWith(`${path}.`))
      .map((problem) => problem.message)
      .join('; ');
  const describe = (path: string, problem: string | undefined = at(path)) =>
    problem === undefined || problem === ''
      ? {}
      : { 'aria-invalid': true, 'aria-describedby': problemId(path) };
  return { at, describe };
};

export const FieldProblem = ({ path, problem }: { path: string; problem: string | undefined }) =>
  problem === undefined || problem === '' ? null : (
    <p id={problemId(path)} className="problem">
      {problem}
    </p>
  );

/**
 * Asks the API what is wrong with a form as it is filled in, a moment after
 * the typing stops (`body` is the form as JSON: a new one starts a new wait).
 */
export const useChecked = (
  body: string,
  check: (body: unknown) => Promise<Problem[]>,
  enabled = true,
): Problem[] => {
  const [problems, setProblems] = useState<Problem[]>([]);
  useEffect(() => {
    if (!enabled) return;
    const timer = setTimeout(() => {
      check(JSON.parse(body)).then(setProblems, () => undefined);
    }, 400);
    return () => clearTimeout(timer);
  }, [body, check, enabled]);
  return problems;
};
