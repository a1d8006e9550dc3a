/**
 * PMR's choice of which prototype losses to add (Fan et al., CVPR 2023), pure. From each modality's
 * prototype confidence on a batch (sum over its examples of the prototype softmax of the true class),
 * a modality behind the others (its score over the mean of the others' below 1) gets the prototype
 * loss with weight alpha, to speed it up; the others get 0. With two modalities this is the authors'
 * rule (beta = alpha for the weaker one, 0 for the stronger, 0 for both when equal).
 */
export function pmrCoefficients(scores: Record<string, number>, alpha: number): { ratio: Record<string, number>; coefficient: Record<string, number> } {
  const names = Object.keys(scores);
  const ratio: Record<string, number> = {};
  const coefficient: Record<string, number> = {};
  for (const u of names) {
    const others = names.filter((v) => v !== u);
    const mean = others.reduce((s, v) => s + scores[v]!, 0) / others.length;
    const r = mean > 0 ? scores[u]! / mean : scores[u]! > 0 ? Infinity : 1;
    ratio[u] = r;
    coefficient[u] = r < 1 ? alpha : 0;
  }
  return { ratio, coefficient };
}

/** Class prototypes with momentum: (1 - m) * fresh + m * previous (the first time, fresh alone). */
export function blendPrototypes(fresh: number[], previous: number[] | null, momentum: number): number[] {
  return previous === null ? fresh.slice() : fresh.map((v, i) => (1 - momentum) * v + momentum * previous[i]!);
}
