/** The README command reader that the README test (`npm run test:readme`) runs on. */
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { firstBlock, readmeCommands, shortened } from '../../scripts/newcomer/readme-commands.js';
import { REPO_ROOT } from '../../scripts/newcomer/shell.js';

const DOC = [
  '# x',
  '## Quick start',
  '```sh',
  'npm install && npm start     # installs and runs',
  'npm test',
  '```',
  '```json',
  '{ "not": "a command" }',
  '```',
  '## The command line',
  'text',
  '```sh',
  '# compare, three seeds',
  '# over two lines (long run)',
  'npx gblend compare --epochs 20 --seeds 3 --out runs/av',
  '',
  '# a file of yours (your own files)',
  'npx gblend predict --data path/to/data',
  '```',
  '## Configuration',
  '```yaml',
  'epochs: 20',
  '```',
].join('\n');

test('commands in document order, with comments, marks and line numbers', () => {
  const cmds = readmeCommands(DOC);
  assert.deepEqual(
    cmds.map((c) => [c.line, c.command, c.action]),
    [
      [4, 'npm install && npm start', 'run'],
      [5, 'npm test', 'run'],
      [15, 'npx gblend compare --epochs 20 --seeds 3 --out runs/av', 'shorten'],
      [18, 'npx gblend predict --data path/to/data', 'skip'],
    ],
  );
  assert.equal(cmds[0]!.comment, 'installs and runs');
  assert.equal(cmds[2]!.comment, 'compare, three seeds over two lines (long run)');
});

test('a long run is shortened, and one with nothing to shorten is an error', () => {
  assert.equal(shortened('npx gblend compare --epochs 20 --seeds 3 --out x'), 'npx gblend compare --epochs 2 --seeds 1 --out x');
  assert.throws(() => shortened('npx gblend report runs/av'), /no --epochs or --seeds/);
});

test('a missing section, a section without commands, or an unclosed block is an error', () => {
  assert.throws(() => readmeCommands(DOC, ['Results']), /no section '## Results'/);
  assert.throws(() => readmeCommands(DOC, ['Configuration']), /has no ```sh command/);
  assert.throws(() => readmeCommands('## Quick start\n```sh\nnpm test\n'), /not closed/);
  assert.equal(firstBlock(DOC, 'Configuration', 'yaml'), 'epochs: 20\n');
});

test("this repository's README: the newcomer's commands are all there and every long run can be shortened", () => {
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  const cmds = readmeCommands(readme);
  const texts = cmds.map((c) => c.command);
  assert.deepEqual(texts.slice(0, 2), ['npm install && npm start', 'npm test']);
  for (const sub of ['--help', 'compare', 'train', 'report', 'predict']) {
    assert.ok(texts.some((t) => t.startsWith('npx gblend') && t.includes(sub)), `no 'npx gblend ... ${sub}' example in the README`);
  }
  for (const c of cmds.filter((c) => c.action === 'shorten')) assert.doesNotThrow(() => shortened(c.command));
  assert.match(firstBlock(readme, 'Configuration', 'yaml'), /^data: /m);
});

test('every bin of package.json is a committed, executable file outside dist (a rebuild cannot drop its mode)', () => {
  const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> };
  for (const [name, path] of Object.entries(pkg.bin)) {
    assert.ok(!path.startsWith('dist/'), `bin '${name}' is ${path}, which every build rewrites without its executable bit`);
    assert.ok(statSync(join(REPO_ROOT, path)).mode & 0o111, `bin '${name}' (${path}) is not executable`);
  }
});

test("the README's Configuration YAML has every key, each at its default", async () => {
  const { parse } = await import('yaml');
  const { parseTrainConfig } = await import('../../src/config/load.js');
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  const written = parse(firstBlock(readme, 'Configuration', 'yaml')) as Record<string, unknown>;
  const defaults = parseTrainConfig({}) as unknown as Record<string, unknown>;
  assert.deepEqual(Object.keys(written).sort(), Object.keys(defaults).sort(), 'top-level keys');
  for (const [key, value] of Object.entries(defaults)) {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      for (const [inner, v] of Object.entries(value)) {
        assert.ok(inner in (written[key] as Record<string, unknown>), `README's ${key} has no '${inner}'`);
        if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
          assert.deepEqual(Object.keys((written[key] as Record<string, Record<string, unknown>>)[inner]!).sort(), Object.keys(v).sort(), `README's ${key}.${inner}`);
        }
      }
    }
  }
  assert.deepEqual(parseTrainConfig(written), defaults);
});
