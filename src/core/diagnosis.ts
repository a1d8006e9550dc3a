/**
 * `gblend diagnose`'s reading of two OGR estimates (method.md sections 3-4): one from the initial
 * model and one after a warm-up of joint training. Pure: estimates in, plain sentences out.
 *
 * A head's OGR = |dO / dG| is the overfitting it gains per unit of generalization over the estimate's
 * epochs; a head whose validation loss no longer falls (dG <= 0) has no OGR and is worse than any.
 * The modality that "overfits first" is the uni-modal head ranked worst after the warm-up. The fused
 * head against the strongest modality (lowest validation loss now) is the paper's question: when the
 * fused head's OGR is the higher, joint training overfits sooner and naive fusion may fall below it.
 */
import type { BlendResult, HeadEstimate } from './blend.js';

export interface DiagnosisReading {
  /** The uni-modal head ranked worst after the warm-up. */
  overfitsFirst: string;
  /** Whether the fused head's OGR after the warm-up is above the strongest uni-modal head's (lowest LV), or it stopped generalizing. */
  fusionAtRisk: boolean;
  sentences: string[];
}

const FUSED = 'fused';

/** Higher is worse: no generalization first (by how much overfitting it gained), then by OGR. */
function badness(e: HeadEstimate): number {
  if (e.dG <= 0 || e.ogr === null) return 1e12 + Math.max(0, e.dO);
  return e.ogr;
}

function ogrText(e: HeadEstimate): string {
  return e.dG <= 0 || e.ogr === null ? 'no longer generalizing' : `OGR ${e.ogr.toFixed(2)}`;
}

function describe(name: string, e: HeadEstimate): string {
  return e.dG <= 0 || e.ogr === null ? `${name} (validation loss no longer falls)` : `${name} (OGR ${e.ogr.toFixed(2)})`;
}

export function readDiagnosis(initial: BlendResult, warm: BlendResult, modalities: string[], warmupEpochs: number, metric: 'loss' | 'accuracy' = 'loss'): DiagnosisReading {
  const measureName = metric === 'loss' ? 'loss' : 'error';
  const uni = modalities.filter((m) => warm.heads[m] !== undefined);
  const ranked = [...uni].sort((a, b) => badness(warm.heads[b]!) - badness(warm.heads[a]!));
  const worst = ranked[0]!;
  const sentences: string[] = [];
  const others = ranked.slice(1).map((m) => describe(m, warm.heads[m]!)).join(', ');
  sentences.push(`After ${warmupEpochs} epochs of joint training, the modality that overfits most for what it generalizes is ${describe(worst, warm.heads[worst]!)}${others ? `; then ${others}` : ''}.`);
  const early = [...uni].sort((a, b) => badness(initial.heads[b]!) - badness(initial.heads[a]!))[0]!;
  if (early !== worst) sentences.push(`From the initial model it was ${describe(early, initial.heads[early]!)}: the order changed during training.`);
  const fused = warm.heads[FUSED];
  let fusionAtRisk = false;
  if (fused !== undefined) {
    // The strongest modality: the uni-modal head with the lowest validation loss now (after the warm-up).
    const strongest = [...uni].sort((a, b) => warm.heads[a]!.lv0 - warm.heads[b]!.lv0)[0]!;
    const s = warm.heads[strongest]!;
    const ahead = fused.lv0 <= s.lv0;
    sentences.push(`Now the fused head is ${ahead ? 'ahead of' : 'behind'} the strongest single modality, ${strongest}, on V: ${measureName} ${fused.lv0.toFixed(3)} against ${s.lv0.toFixed(3)}.`);
    fusionAtRisk = badness(fused) > badness(s);
    sentences.push(fusionAtRisk
      ? `It overfits more for what it generalizes (${ogrText(fused)}; ${strongest}: ${ogrText(s)}): with more training naive fusion ${ahead ? 'may lose that lead and end below' : 'may stay below'} ${strongest} alone, the paper's problem, which Gradient-Blending addresses.`
      : `It overfits no more for what it generalizes (${ogrText(fused)}; ${strongest}: ${ogrText(s)}): naive fusion is not expected to ${ahead ? 'fall below' : 'stay below'} ${strongest} alone for that reason.`);
  }
  const order = [...modalities, FUSED].filter((h) => h in warm.weights);
  sentences.push(`Gradient-Blending would weight ${order.join(' / ')} as ${order.map((h) => warm.weights[h]!.toFixed(2)).join(' / ')}${warm.fallback !== 'none' ? ` (${warm.note ?? `fallback: ${warm.fallback}`})` : ''}.`);
  return { overfitsFirst: worst, fusionAtRisk, sentences };
}
