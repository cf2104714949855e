import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readDefinitionFile } from '../../../lib/cli/definition-file.js';

const aFile = async (content: string): Promise<string> => {
  const file = join(await mkdtemp(join(tmpdir(), 'rapport-definition-')), 'definition.yaml');
  await writeFile(file, content);
  return file;
};

const noProblems = () => [];

describe('when a definition file is read for a put or a validate', () => {
  it('answers the body when it parses and the check finds no problem', async () => {
    const file = await aFile('id: gold\nname: Gold members\n');
    expect(await readDefinitionFile(file, noProblems)).toEqual({
      ok: true,
      body: { id: 'gold', name: 'Gold members' },
    });
  });

  it('names the file and the parser’s complaint when it is not YAML or JSON', async () => {
    const file = await aFile('id: [gold\n');
    const read = await readDefinitionFile(file, noProblems);
    expect(read.ok).toBe(false);
    if (read.ok) return;
    expect(read.problems.toString()).toMatch(new RegExp(`^✗ ${file}: .+`));
  });

  it('lists the check’s problems under the file name, one row each', async () => {
    const file = await aFile('id: gold\n');
    const read = await readDefinitionFile(file, () => [
      { path: 'name', message: 'Required' },
      { path: 'condition', message: 'Required' },
    ]);
    expect(read.ok).toBe(false);
    if (read.ok) return;
    expect(read.problems.toString().split('\n')).toEqual([
      `✗ ${file}`,
      'path       problem',
      '---------  --------',
      'name       Required',
      'condition  Required',
    ]);
  });

  it('refuses a file that holds no object, even when the check lets it through', async () => {
    const file = await aFile('- gold\n');
    const read = await readDefinitionFile(file, noProblems);
    expect(read.ok).toBe(false);
    if (read.ok) return;
    expect(read.problems.toString()).toContain('must be an object');
  });
});
