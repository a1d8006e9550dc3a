/** Which runs a comparison makes from its methods and fusions (api/comparison-grid.ts). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { comparisonGrid, splitRunName } from '../../src/api/comparison-grid.js';

const MODS = ['image', 'audio'];

test('no fusions, or one: each method once, under its own name', () => {
  assert.deepEqual(comparisonGrid(['uni:image', 'naive'], null, MODS), {
    entries: [{ name: 'uni:image', method: 'uni:image', fusion: null }, { name: 'naive', method: 'naive', fusion: null }],
    skipped: [],
  });
  assert.deepEqual(comparisonGrid(['naive'], ['lmf'], MODS).entries, [{ name: 'naive', method: 'naive', fusion: 'lmf' }]);
});

test('several fusions: methods with a fused head crossed with each; uni once; a method not defined for a fusion skipped', () => {
  const { entries, skipped } = comparisonGrid(['uni:audio', 'naive', 'ogm-ge', 'pmr@nl'], ['late', 'se'], MODS);
  assert.deepEqual(entries.map((e) => [e.name, e.method, e.fusion]), [
    ['uni:audio', 'uni:audio', null],
    ['naive@late', 'naive', 'late'],
    ['naive@se', 'naive', 'se'],
    ['ogm-ge@late', 'ogm-ge', 'late'],
    ['pmr@nl', 'pmr', 'nl'],
  ]);
  assert.deepEqual(skipped, ['ogm-ge@se']);
});

test('a run named twice, and an unknown fusion, are errors', () => {
  assert.throws(() => comparisonGrid(['naive', 'naive@se'], ['late', 'se'], MODS), /'naive@se' twice/);
  assert.throws(() => splitRunName('naive@early'), /unknown fusion 'early'/);
  assert.deepEqual(splitRunName('uni:image'), { method: 'uni:image', fusion: null });
});
