/**
 * What the page shows after each prediction: the prediction, every head's probabilities, and what
 * the prediction becomes with each modality left out.
 */
import type { WebPrediction } from '../web-model.js';
import { el, percent } from './dom.js';

/** One row of the leave-out table: the modalities given and what the model then predicts. */
export interface Variant {
  given: string[];
  prediction: WebPrediction;
}

const best = (p: number[]): number => p.reduce((b, v, i) => (v > p[b]! ? i : b), 0);
const headLabel = (h: string): string => `${h} head`;

function headTable(pred: WebPrediction): HTMLElement {
  const header = el('tr', {}, el('th', {}, 'head'), ...pred.classes.map((c) => el('th', {}, c)));
  const rows = Object.entries(pred.perHead).map(([head, probs]) => {
    const p = probs[0]!;
    const top = best(p);
    const chosen = pred.heads.includes(head);
    return el('tr', { 'data-head': head, class: chosen ? 'chosen' : '' }, el('th', {}, headLabel(head) + (chosen ? ' ✔' : '')),
      ...p.map((v, i) => el('td', { class: i === top ? 'top' : '', style: `--p:${v.toFixed(4)}`, 'data-class': pred.classes[i]!, 'data-p': String(v) }, v.toFixed(4))));
  });
  return el('table', { class: 'probs', id: 'head-probabilities' }, header, ...rows);
}

function variantTable(variants: Variant[]): HTMLElement {
  const rows = variants.map(({ given, prediction }) => {
    const p = prediction.probabilities[0]!;
    return el('tr', { 'data-given': given.join('+') }, el('th', {}, given.join(' + ')), el('td', {}, prediction.heads.map(headLabel).join(' + ')),
      el('td', { class: 'big' }, prediction.predicted[0]!), el('td', {}, percent(p[best(p)]!)));
  });
  return el('table', { id: 'leave-out' }, el('tr', {}, el('th', {}, 'modalities given'), el('th', {}, 'heads used'), el('th', {}, 'prediction'), el('th', {}, 'confidence')), ...rows);
}

/** `given` is how many modalities the person gave: with several and no other variant, say why none shows. */
export function renderResults(target: HTMLElement, main: Variant, variants: Variant[], given: number): void {
  const p = main.prediction;
  const probs = p.probabilities[0]!;
  target.replaceChildren(
    el('p', { class: 'verdict' }, 'Prediction: ', el('span', { id: 'prediction', class: 'big' }, p.predicted[0]!),
      ` with ${percent(probs[best(probs)]!)} from the ${p.heads.map(headLabel).join(' + ')} (given ${main.given.join(' + ')}).`),
    el('h3', {}, 'Every head'),
    el('p', { class: 'small' }, 'Probability of each class per head; ✔ marks the heads the prediction uses. A head that reads a missing modality is not shown.'),
    headTable(p),
    variants.length > 1 ? el('h3', {}, 'Leaving a modality out') : '',
    variants.length > 1 ? variantTable(variants) : '',
    variants.length === 1 && given > 1
      ? el('p', { class: 'small', id: 'no-leave-out' }, 'This model has no head per modality (it was trained without uni-modal heads), so it cannot predict with a modality left out.')
      : '',
  );
}
