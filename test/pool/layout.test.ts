/** What a failed comparison leaves in its --out (src/pool/layout.ts). */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { abandonIfEmpty, writePlan } from '../../src/pool/layout.js';

test('a comparison that failed with nothing to resume leaves no folder, not even an empty runs/ of --jobs 2', async () => {
  const out = join(await mkdtemp(join(tmpdir(), 'gblend-layout-')), 'cmp');
  const runs = [{ method: 'naive', seed: 0 }, { method: 'aux', seed: 0 }];
  const created = await writePlan(out, { version: 1, key: '{}', meta: {} as never, runs });
  // Two workers' logs shared runs/: the one that created it failed first, while the other's log was there.
  await mkdir(join(out, 'runs'));
  await abandonIfEmpty(out, runs, created);
  assert.ok(!existsSync(out), 'the comparison folder is left behind');
});
