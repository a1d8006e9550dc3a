/**
 * The predictions file: `row,predicted,p_<class>...`, one line per example. Fields are quoted as
 * RFC 4180 says, so class names with commas, quotes or line breaks read back as they were. Pure.
 */

/** One CSV field: quoted (with quotes doubled) when it holds a comma, a quote or a line break. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function predictionsCsv(classes: readonly string[], predicted: ArrayLike<number>, probabilities: Float32Array): string {
  const k = classes.length;
  const lines = [['row', 'predicted', ...classes.map((c) => `p_${c}`)].map(csvField).join(',')];
  for (let i = 0; i < predicted.length; i++) {
    const probs = Array.from(probabilities.subarray(i * k, (i + 1) * k), (p) => p.toFixed(5));
    lines.push([String(i), csvField(classes[predicted[i]!]!), ...probs].join(','));
  }
  return `${lines.join('\n')}\n`;
}
