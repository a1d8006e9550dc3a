/**
 * test/helpers/shared-data.ts in a repository without ../shared/data: a copy of the compiled helper in a
 * temp "repository" run in a child process, since the real repository does have the folder.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const compiledHelper = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'helpers', 'shared-data.js');

let root = '';
let repo = '';

before(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'gblend-shared-data-test-'));
  repo = path.join(root, 'repo');
  await mkdir(path.join(repo, 'dist', 'test', 'helpers'), { recursive: true });
  await writeFile(path.join(repo, 'package.json'), JSON.stringify({ name: 'gblend', type: 'module' }));
  await copyFile(compiledHelper, path.join(repo, 'dist', 'test', 'helpers', 'shared-data.js'));
  await writeFile(path.join(repo, 'probe.test.mjs'), [
    "import { test } from 'node:test';",
    "import { requireSharedData, sharedDataDir } from './dist/test/helpers/shared-data.js';",
    "test('probe', (t) => { console.log('DIR=' + sharedDataDir()); console.log('GOT=' + requireSharedData(t)); });",
  ].join('\n'));
});

after(async () => {
  await rm(root, { recursive: true, force: true });
});

function probe(ci: string | undefined): { status: number | null; out: string } {
  const env = { ...process.env };
  delete env['CI'];
  delete env['NODE_TEST_CONTEXT']; // else the child thinks it is part of this test run and runs nothing
  if (ci !== undefined) env['CI'] = ci;
  // --test-reporter=tap: the counts ("# skip 1") and console lines come out as plain text.
  const r = spawnSync(process.execPath, ['--test', '--test-reporter=tap', 'probe.test.mjs'], { cwd: repo, env, encoding: 'utf8' });
  return { status: r.status, out: r.stdout + r.stderr };
}

describe('shared-data helper without ../shared/data', () => {
  test('outside CI: sharedDataDir is null and the test is skipped with the message', () => {
    const { status, out } = probe(undefined);
    assert.equal(status, 0, out);
    assert.match(out, /DIR=null/);
    assert.match(out, /GOT=null/);
    assert.match(out, /# SKIP \.\.\/shared\/data not found: skipping test that needs the real data/);
    assert.match(out, /# skipped 1/);
  });

  test('in CI: the test fails instead of skipping', () => {
    const { status, out } = probe('true');
    assert.notEqual(status, 0, out);
    assert.match(out, /CI must run the tests that need the real data/);
    assert.match(out, /# fail 1/);
  });

  test('with the folder present it is found next to the repository', async () => {
    await mkdir(path.join(root, 'shared', 'data'), { recursive: true });
    const { status, out } = probe('true');
    assert.equal(status, 0, out);
    assert.ok(out.includes(`DIR=${path.join(root, 'shared', 'data')}`), out);
    await rm(path.join(root, 'shared'), { recursive: true });
  });
});
