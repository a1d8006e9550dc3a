// Linear probes on an avdigits directory: nearest centroid and softmax regression per modality.
// usage: npm run build && node scripts/probe-avdigits.mjs [DIR]   (DIR defaults to data/avdigits)
// env: L2 (default 1e-2) and ITERS (Adam steps, default 400) for the softmax regression; ONLY=image,audio,... picks rows
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseNpy } from '../dist/src/data/npy.js';
const dir = process.argv[2] ?? 'data/avdigits';
const load = (f) => parseNpy(new Uint8Array(readFileSync(join(dir, f))));
const labels = load('labels.npy').data, split = load('split.npy').data;
const N = labels.length;
function feats(arr) { const d = arr.data.length / N; return { d, x: (i, j) => arr.data[i * d + j] / 255 }; }
function prep(mods) {
  const ds = mods.map((m) => m.d), D = ds.reduce((a, b) => a + b, 0);
  const X = new Float64Array(N * D);
  for (let i = 0; i < N; i++) { let o = 0; for (const m of mods) { for (let j = 0; j < m.d; j++) X[i * D + o + j] = m.x(i, j); o += m.d; } }
  // standardise with train statistics
  const tr = [...Array(N).keys()].filter((i) => split[i] === 0), te = [...Array(N).keys()].filter((i) => split[i] === 1);
  for (let j = 0; j < D; j++) {
    let s = 0, s2 = 0; for (const i of tr) { s += X[i * D + j]; s2 += X[i * D + j] ** 2; }
    const mu = s / tr.length, sd = Math.sqrt(Math.max(1e-8, s2 / tr.length - mu * mu));
    for (let i = 0; i < N; i++) X[i * D + j] = (X[i * D + j] - mu) / sd;
  }
  return { X, D, tr, te };
}
function centroid({ X, D, tr, te }) {
  const c = Array.from({ length: 10 }, () => new Float64Array(D)), n = new Array(10).fill(0);
  for (const i of tr) { n[labels[i]]++; for (let j = 0; j < D; j++) c[labels[i]][j] += X[i * D + j]; }
  c.forEach((v, k) => v.forEach((_, j) => (v[j] /= n[k])));
  const acc = (idx) => idx.filter((i) => { let best = -1, bd = Infinity; for (let k = 0; k < 10; k++) { let d = 0; for (let j = 0; j < D; j++) d += (X[i * D + j] - c[k][j]) ** 2; if (d < bd) { bd = d; best = k; } } return best === labels[i]; }).length / idx.length;
  return { train: acc(tr), test: acc(te) };
}
function logreg({ X, D, tr, te }, { iters = Number(process.env.ITERS ?? 400), lr = 0.05, l2 = Number(process.env.L2 ?? 1e-2) } = {}) {
  const W = new Float64Array(10 * (D + 1)), m = new Float64Array(W.length), v = new Float64Array(W.length);
  const scores = (i) => { const s = new Float64Array(10); for (let k = 0; k < 10; k++) { let a = W[k * (D + 1) + D]; for (let j = 0; j < D; j++) a += W[k * (D + 1) + j] * X[i * D + j]; s[k] = a; } return s; };
  for (let t = 1; t <= iters; t++) {
    const g = new Float64Array(W.length);
    for (const i of tr) {
      const s = scores(i); const mx = Math.max(...s); let z = 0; for (let k = 0; k < 10; k++) { s[k] = Math.exp(s[k] - mx); z += s[k]; }
      for (let k = 0; k < 10; k++) { const e = s[k] / z - (k === labels[i] ? 1 : 0); for (let j = 0; j < D; j++) g[k * (D + 1) + j] += e * X[i * D + j]; g[k * (D + 1) + D] += e; }
    }
    for (let q = 0; q < W.length; q++) {
      const gq = g[q] / tr.length + l2 * W[q];
      m[q] = 0.9 * m[q] + 0.1 * gq; v[q] = 0.999 * v[q] + 0.001 * gq * gq;
      W[q] -= lr * (m[q] / (1 - 0.9 ** t)) / (Math.sqrt(v[q] / (1 - 0.999 ** t)) + 1e-8);
    }
  }
  const acc = (idx) => idx.filter((i) => { const s = scores(i); return s.indexOf(Math.max(...s)) === labels[i]; }).length / idx.length;
  return { train: acc(tr), test: acc(te) };
}
function nn1({ X, D, tr, te }) {
  const hit = te.filter((i) => { let best = -1, bd = Infinity; for (const t of tr) { let d = 0; for (let j = 0; j < D; j++) d += (X[i * D + j] - X[t * D + j]) ** 2; if (d < bd) { bd = d; best = labels[t]; } } return best === labels[i]; }).length;
  return hit / te.length;
}
const image = feats(load('image.npy')), audio = feats(load('audio.npy'));
const pct = (r) => `train ${(100 * r.train).toFixed(1)}%  test ${(100 * r.test).toFixed(1)}%`;
const all = [['image', [image]], ['audio', [audio]], ['image+audio (concat)', [image, audio]]];
for (const [name, mods] of all.filter(([n]) => !process.env.ONLY || process.env.ONLY.split(',').includes(n))) {
  const p = prep(mods);
  console.log(`${name.padEnd(22)} nearest-centroid: ${pct(centroid(p))} | softmax regression: ${pct(logreg(p))} | 1-NN: test ${(100 * nn1(p)).toFixed(1)}%`);
}
