/**
 * Differential fuzzing of every native kernel against tfjs' cpu backend (issue 12): seeded
 * random inputs (shapes with zero-size axes, broadcasting, and invalid ones: mismatched
 * dimensions, wrong dtypes, out-of-range indices and axes, sizes past int32) called on
 * each kernel directly, as tfjs' ops do but without their checks. The same values, or an
 * error on both sides; never a crash, a hang or a leaked tensor (fuzz/runner.ts).
 *
 * The run is a child process, so a crash fails this test with the case that caused it
 * (seed, index, kernel, inputs and attributes). GBLEND_FUZZ_CASES sets the case count
 * (default 20,000, a few seconds), GBLEND_FUZZ_SEED the seed (default 12, or 'random'):
 *   GBLEND_FUZZ_CASES=1000000 node --test dist/test/engine/native/fuzz.test.js
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { NATIVE_KERNEL_NAMES } from '../../../src/engine/native/index.js';
import { describe } from './fuzz/case.js';
import { GENERATORS, caseAt } from './fuzz/generators.js';
import type { Summary } from './fuzz/runner.js';
import { nativeSkip } from './helpers.js';

const skip = nativeSkip();
const CASES = Number(process.env['GBLEND_FUZZ_CASES'] ?? 20_000);
// 'random' as in the input fuzz (test/fuzz/inputs.test.ts), which reads the same variable; the seed
// is in the test's name and in any failure, to replay.
const SEED = process.env['GBLEND_FUZZ_SEED'] === 'random' ? Math.floor(Math.random() * 2 ** 31) : Number(process.env['GBLEND_FUZZ_SEED'] ?? 12);
const runner = fileURLToPath(new URL('./fuzz/runner.js', import.meta.url));

test('every native kernel has a fuzz generator', () => {
  assert.deepEqual(NATIVE_KERNEL_NAMES.filter((k) => GENERATORS[k] === undefined), []);
});

test(`native kernels agree with cpu on ${CASES} seeded random cases (seed ${SEED}): values or errors, no crash, hang or leak`, { skip }, () => {
  assert.ok(Number.isInteger(CASES) && CASES > 0 && Number.isInteger(SEED), 'GBLEND_FUZZ_CASES and GBLEND_FUZZ_SEED must be integers');
  // Generous: about 1 ms a case here; a hang is what this catches.
  const timeout = 120_000 + CASES * 10;
  const child = spawnSync(process.execPath, [runner, String(SEED), '0', String(CASES)], { encoding: 'utf8', timeout, maxBuffer: 1 << 30 });
  const lines = child.stdout.trim().split('\n');
  const last = lines.filter((l) => l.startsWith('@')).pop();
  const summaryLine = lines[lines.length - 1] ?? '';
  if (child.status !== 0 || !summaryLine.startsWith('{')) {
    const index = last === undefined ? 0 : Number(last.slice(1));
    const why = child.error !== undefined ? `${child.error.message}` : `exit ${child.status}, signal ${child.signal}`;
    assert.fail(`the fuzz run died (${why}) on case ${index} of seed ${SEED}: ${describe(caseAt(SEED, index))}\n${child.stderr.slice(-2000)}`);
  }
  const summary = JSON.parse(summaryLine) as Summary;
  assert.equal(summary.cases, CASES);
  const report = summary.failures.map((f) => `#${f.index}: ${f.problem}\n    ${f.case}`).join('\n');
  assert.deepEqual(summary.failures, [], `seed ${SEED}: native and cpu differ:\n${report}`);
  // The comparison must be the bulk of the run, not errors on both sides.
  assert.ok(summary.compared > CASES * 0.8, `only ${summary.compared} of ${CASES} cases compared values`);
});
