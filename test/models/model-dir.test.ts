/** Issue 8, defect 1 at the library level: a model folder is replaced only once the new one is complete. */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { writeFileAtomic } from '../../src/io/atomic.js';
import { FileError } from '../../src/io/file-error.js';
import { checkModelDestination, replaceModelDir } from '../../src/models/model-dir.js';

async function fakeModel(dir: string, tag: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'model.json'), tag);
  await writeFile(join(dir, 'weights.bin'), tag);
  await writeFile(join(dir, 'gblend.json'), JSON.stringify({ format: 'gblend-model', tag }));
}

test('a save that fails halfway leaves the old model as it was, and no temporary folder', async () => {
  const root = await mkdtemp(join(tmpdir(), 'gblend-model-dir-'));
  const dir = join(root, 'm');
  await fakeModel(dir, 'old');
  await assert.rejects(replaceModelDir(dir, async (tmp) => {
    await writeFile(join(tmp, 'model.json'), 'new');
    throw new Error('disk full, say');
  }), /disk full/);
  assert.equal(await readFile(join(dir, 'model.json'), 'utf8'), 'old');
  assert.deepEqual(await readdir(root), ['m']);
});

test('a complete save replaces the old model and removes it', async () => {
  const root = await mkdtemp(join(tmpdir(), 'gblend-model-dir-'));
  const dir = join(root, 'm');
  await fakeModel(dir, 'old');
  await replaceModelDir(dir, (tmp) => fakeModel(tmp, 'new'));
  assert.equal(await readFile(join(dir, 'weights.bin'), 'utf8'), 'new');
  assert.deepEqual(await readdir(root), ['m']);
});

test('destinations that are refused: a file, a folder of other files, an empty name', async () => {
  const root = await mkdtemp(join(tmpdir(), 'gblend-model-dir-'));
  await writeFile(join(root, 'f'), '');
  await mkdir(join(root, 'docs'));
  await writeFile(join(root, 'docs', 'a.txt'), '');
  for (const [dir, code] of [[join(root, 'f'), 'OUTPUT_IS_FILE'], [join(root, 'docs'), 'OUTPUT_NOT_EMPTY'], ['', 'NOT_WRITABLE']] as const) {
    await assert.rejects(checkModelDestination(dir), (err: unknown) => err instanceof FileError && err.code === code);
  }
  await checkModelDestination(join(root, 'new', 'deeper'));
  assert.ok(!existsSync(join(root, 'new')), 'checking writes nothing');
});

test('writeFileAtomic: a failed write leaves neither the file nor a .partial', async () => {
  const root = await mkdtemp(join(tmpdir(), 'gblend-atomic-'));
  await mkdir(join(root, 'taken'));
  await assert.rejects(writeFileAtomic(join(root, 'taken'), 'x', 'the results'), (err: unknown) => err instanceof FileError && /taken: cannot write the results/.test(err.message));
  assert.deepEqual(await readdir(root), ['taken']);
  await writeFileAtomic(join(root, 'ok.json'), '{}');
  assert.deepEqual((await readdir(root)).sort(), ['ok.json', 'taken']);
});
