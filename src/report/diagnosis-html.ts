/**
 * The report's "Before training" section: `gblend diagnose --out DIR/diagnosis.json` beside a
 * comparison's results, shown as its two estimate tables and its reading. Pure: data in, HTML out.
 */
import type { Diagnosis } from '../train/diagnose.js';
import { estimateCaption } from './diagnosis-table.js';
import { escapeHtml as esc } from './escape-html.js';

const f = (x: number | null, digits = 3): string => (x === null || !Number.isFinite(x) ? '–' : x.toFixed(digits));

export function diagnosisSection(d: Diagnosis): string {
  const tables = d.estimates.map(({ epoch, result }) => {
    const caption = estimateCaption(d, epoch);
    const rows = Object.entries(result.heads).map(([h, e]) =>
      `<tr><th>${esc(h)}</th>${[e.lt0, e.lv0, e.lt1, e.lv1, e.dG, e.dO].map((v) => `<td>${f(v)}</td>`).join('')}<td>${f(e.ogr, 2)}</td><td><b>${f(e.w, 2)}</b></td></tr>`);
    return `<h4>${esc(caption)}</h4><table><tr><th>head</th><th>LT before</th><th>LV before</th><th>LT after</th><th>LV after</th><th>dG</th><th>dO</th><th>OGR</th><th>weight</th></tr>${rows.join('')}</table>`;
  });
  return `<h2>Before training: gblend diagnose</h2>
<p>Seed ${d.seed}; ${d.sizes.train} training examples, V ${d.sizes.val}, T' ${d.sizes.probe}; ${esc(d.metric)} on T' and V.</p>
${tables.join('\n')}
<ul class="diagnosis">${d.reading.sentences.map((s) => `<li>${esc(s)}</li>`).join('')}</ul>
`;
}
