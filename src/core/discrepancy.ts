/**
 * How far each modality is ahead of the others on a batch, from per-modality confidence scores: its
 * score over the mean of the others' (with two modalities, s_u / s_other). Shared by OGM-GE and PMR.
 * No confidence anywhere else: a modality with some is infinitely ahead, and 0 against 0 is even (1).
 */
export function ratiosToOthers(scores: Record<string, number>): Record<string, number> {
  const names = Object.keys(scores);
  const ratio: Record<string, number> = {};
  for (const u of names) {
    const others = names.filter((v) => v !== u);
    const mean = others.reduce((s, v) => s + scores[v]!, 0) / others.length;
    ratio[u] = mean > 0 ? scores[u]! / mean : scores[u]! > 0 ? Infinity : 1;
  }
  return ratio;
}
