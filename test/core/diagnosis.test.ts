/** diagnose's reading (core/diagnosis.ts) on hand-made estimates. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { BlendResult, HeadEstimate } from '../../src/core/blend.js';
import { readDiagnosis } from '../../src/core/diagnosis.js';

/** A head whose V loss goes lv0 -> lv0 - dG while its gap grows by dO. */
function head(lv0: number, dG: number, dO: number): HeadEstimate {
  return { lt0: lv0 - 0.1, lv0, lt1: lv0 - 0.1 - dG - dO, lv1: lv0 - dG, dG, dO, ogr: dG === 0 ? null : Math.abs(dO / dG), floor: 0, raw: 0, w: 0 };
}

function result(heads: Record<string, HeadEstimate>): BlendResult {
  const names = Object.keys(heads);
  return { heads, weights: Object.fromEntries(names.map((h) => [h, 1 / names.length])), fallback: 'none', note: null };
}

test('the modality that overfits first, and fusion at risk when its OGR is above the strongest modality\'s', () => {
  const initial = result({ a: head(2.3, 2, 0.01), b: head(2.3, 1, 0.2), fused: head(2.3, 2, 0.01) });
  // After the warm-up: b overfits most (OGR 0.5); a is the strongest (V loss 0.3, OGR 0.2); fused OGR 0.8.
  const warm = result({ a: head(0.3, 0.1, 0.02), b: head(1.2, 0.2, 0.1), fused: head(0.25, 0.1, 0.08) });
  const r = readDiagnosis(initial, warm, ['a', 'b'], 10);
  assert.equal(r.overfitsFirst, 'b');
  assert.equal(r.fusionAtRisk, true);
  assert.match(r.sentences[0]!, /After 10 epochs of joint training, the modality that overfits most for what it generalizes is b \(OGR 0\.50\); then a \(OGR 0\.20\)/);
  assert.match(r.sentences.join('\n'), /ahead of the strongest single modality, a, on V: loss 0\.250 against 0\.300/);
  assert.match(r.sentences.join('\n'), /OGR 0\.80; a: OGR 0\.20\): with more training naive fusion may lose that lead and end below a alone/);
  assert.match(r.sentences.at(-1)!, /weight a \/ b \/ fused as 0\.33 \/ 0\.33 \/ 0\.33/);
});

test('a head that stopped generalizing ranks worst; a fused head with the lowest OGR is not at risk', () => {
  const initial = result({ a: head(2.3, 2, 0.01), b: head(2.3, 1, 0.02), fused: head(2.3, 2, 0.01) });
  const warm = result({ a: head(0.3, -0.05, 0.1), b: head(1.2, 0.2, 0.1), fused: head(0.2, 0.1, 0.01) });
  const r = readDiagnosis(initial, warm, ['a', 'b'], 5);
  assert.equal(r.overfitsFirst, 'a');
  assert.match(r.sentences[0]!, /overfits most for what it generalizes is a \(validation loss no longer falls\)/);
  // The order changed since the initial model, where b was the worse: said so.
  assert.match(r.sentences[1]!, /From the initial model it was b/);
  assert.equal(r.fusionAtRisk, false);
  assert.match(r.sentences.join('\n'), /not expected to fall below a alone/);
});
