/** `gblend diagnose`'s printed form: one table per estimate, then the reading in plain sentences. Pure. */
import type { Diagnosis } from '../train/diagnose.js';

const f = (x: number | null, digits = 3): string => (x === null || !Number.isFinite(x) ? '-' : x.toFixed(digits));

/** What one of diagnose's estimates measured, in words (the printed table's and the report's heading). */
export function estimateCaption(d: Diagnosis, epoch: number): string {
  return epoch === 0
    ? `From the initial model, each head's copy trained alone for ${d.options.estimateEpochs} epochs`
    : `After ${epoch} epochs training every head together, each head's copy trained alone for ${d.options.estimateEpochs} more`;
}

export function formatDiagnosis(d: Diagnosis): string {
  const measure = d.metric === 'loss' ? 'loss' : 'error';
  const lines = [
    `${d.dataset}: ${d.modalities.join(' + ')}, seed ${d.seed}; ${d.sizes.train} training examples, V ${d.sizes.val}, T' ${d.sizes.probe}`,
  ];
  for (const { epoch, result } of d.estimates) {
    lines.push('', `${estimateCaption(d, epoch)}${epoch === 0 ? ` (${measure} on T' and V, before -> after)` : ''}:`);
    const header = ['head', 'LT before', 'LV before', 'LT after', 'LV after', 'G (dG)', 'O change (dO)', 'OGR', 'weight'];
    const rows = Object.entries(result.heads).map(([h, e]) => [h, f(e.lt0), f(e.lv0), f(e.lt1), f(e.lv1), f(e.dG), f(e.dO), f(e.ogr, 2), f(e.w, 2)]);
    const widths = header.map((t, i) => Math.max(t.length, ...rows.map((r) => r[i]!.length)));
    const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
    lines.push(line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line));
    if (result.note) lines.push(`(${result.note})`);
  }
  lines.push('', ...d.reading.sentences);
  lines.push('', "G: how much V's loss fell; O: how much the gap LV - LT grew; OGR = |dO / dG|, small is good (docs/methods.md).");
  return lines.join('\n');
}
