/**
 * Access to the real data in ../shared/data (next to the repository, never inside it) for tests.
 * Developers without the folder get a skip; CI never skips, so a missing folder fails there.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** The six views of UCI Multiple Features and their feature counts. */
export const MFEAT_VIEWS = { fac: 216, fou: 76, kar: 64, mor: 6, pix: 240, zer: 47 } as const;
export type MfeatView = keyof typeof MFEAT_VIEWS;

/** The repository root: the nearest folder above this file whose package.json is gblend's (works from src and dist). */
function repoRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: unknown }).name === 'gblend') return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`no gblend package.json above ${fileURLToPath(import.meta.url)}`);
    dir = up;
  }
}

function expectedSharedDataDir(): string {
  return path.resolve(repoRoot(), '..', 'shared', 'data');
}

export function sharedDataDir(): string | null {
  const dir = expectedSharedDataDir();
  return existsSync(dir) ? dir : null;
}

export function requireSharedData(t: TestContext): string | null {
  const dir = sharedDataDir();
  if (dir !== null) return dir;
  if (process.env['CI'] === 'true') {
    throw new Error(`../shared/data not found at ${expectedSharedDataDir()}: CI must run the tests that need the real data, not skip them`);
  }
  t.skip('../shared/data not found: skipping test that needs the real data');
  return null;
}

let extraction: Promise<string> | null = null;

/**
 * Extract mfeat.txz once into a temp folder shared by all test processes (node --test runs each file in
 * its own process). The folder name carries the archive's size and mtime, so a new archive gets a new
 * folder; extraction goes to a private folder first and is renamed into place, so a reader never sees a
 * half-extracted copy and two racing processes cannot corrupt each other.
 */
function extractMfeat(): Promise<string> {
  extraction ??= (async () => {
    const data = sharedDataDir();
    if (data === null) throw new Error(`mfeatDataset: ../shared/data not found at ${expectedSharedDataDir()}; call requireSharedData(t) first`);
    const archive = path.join(data, 'mfeat', 'mfeat.txz');
    const info = await stat(archive);
    const cache = path.join(os.tmpdir(), `gblend-mfeat-${info.size}-${Math.floor(info.mtimeMs)}`);
    if (existsSync(path.join(cache, '.complete'))) return cache;
    const work = await mkdtemp(path.join(os.tmpdir(), 'gblend-mfeat-extract-'));
    await execFileAsync('tar', ['-xJf', archive, '-C', work]);
    for (const view of Object.keys(MFEAT_VIEWS)) {
      if (!existsSync(path.join(work, `mfeat-${view}.csv`))) throw new Error(`${archive} has no mfeat-${view}.csv`);
    }
    await writeFile(path.join(work, '.complete'), '');
    try {
      await rename(work, cache);
    } catch (e) {
      // Another process put its copy there first: use that one.
      await rm(work, { recursive: true, force: true });
      if (!existsSync(path.join(cache, '.complete'))) throw e;
    }
    return cache;
  })();
  return extraction;
}

/**
 * A dataset directory over the extracted mfeat CSVs with the given views as modalities, labels from each
 * CSV's last column (all six files carry the same labels, so the loader checks they agree).
 */
export async function mfeatDataset(views: string[]): Promise<string> {
  if (views.length === 0) throw new Error('mfeatDataset: give at least one view');
  for (const v of views) {
    if (!(v in MFEAT_VIEWS)) throw new Error(`mfeatDataset: unknown view '${v}'; views: ${Object.keys(MFEAT_VIEWS).join(', ')}`);
  }
  const cache = await extractMfeat();
  const manifest = {
    name: `mfeat-${views.join('-')}`,
    classes: 10,
    labelColumn: -1, // the header is column numbers, and the label column's header repeats "0"
    // A header of numbers only must be declared, or it is refused as a possible data row.
    modalities: Object.fromEntries(views.map((v) => [v, { file: `../mfeat-${v}.csv`, header: true }])),
    description: 'UCI Multiple Features: 2,000 handwritten digits (200 per class) described by six feature sets',
    license: 'CC BY 4.0',
    source: 'UCI Machine Learning Repository, "Multiple Features" (van Breukelen, Duin, Tax, den Hartog, 1998)',
  };
  // Named by its content: a cached folder of an older manifest (the cache is shared) is never taken for this one.
  const dir = path.join(cache, `dataset-${views.join('-')}-${createHash('sha256').update(JSON.stringify(manifest)).digest('hex').slice(0, 8)}`);
  const manifestPath = path.join(dir, 'dataset.json');
  if (existsSync(manifestPath)) return dir;
  await mkdir(dir, { recursive: true });
  const tmp = `${manifestPath}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify(manifest, null, 2));
  await rename(tmp, manifestPath); // atomic: a concurrent reader sees the whole file or none
  return dir;
}
