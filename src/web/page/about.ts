/** "About this model": what it was trained on, how, and its test accuracy per head (from gblend.json). */
import type { ModelMetadata } from '../../models/model-metadata.js';
import { el, percent } from './dom.js';

/** Written by `gblend export` beside the model: what the page cannot read from gblend.json. */
export interface AboutFile {
  dataset: string;
  description: string | null;
  exported: string;
  gblendVersion: string;
}

type Json = Record<string, unknown>;

export function aboutSection(meta: ModelMetadata, about: AboutFile | null, backend: string): HTMLElement {
  const config = (meta.config ?? {}) as Json;
  const test = meta.test as Record<string, { acc?: number; macro_f1?: number }>;
  const rows = meta.heads.map((h) => el('tr', {}, el('th', {}, h === 'fused' ? 'fused (all modalities)' : `${h} only`),
    el('td', {}, test[h]?.acc === undefined ? '–' : percent(test[h]!.acc!)),
    el('td', {}, test[h]?.macro_f1 === undefined ? '–' : percent(test[h]!.macro_f1!))));
  const facts = [
    `Method: ${meta.method}`,
    `dataset: ${about?.dataset ?? String(config.data ?? 'unknown')}`,
    `classes: ${meta.classes.join(', ')}`,
    `modalities: ${meta.modalities.map((m) => `${m.name} [${m.shape.join('×')}]`).join(', ')}`,
    config.epochs === undefined ? '' : `${String(config.epochs)} epoch${config.epochs === 1 ? '' : 's'}, seed ${String(config.seed ?? 0)}`,
    `running on TensorFlow.js ${backend}`,
  ].filter((f) => f !== '');
  return el('section', { id: 'about' },
    el('h2', {}, 'About this model'),
    el('p', {}, facts.join('; ') + '.'),
    about?.description ? el('details', {}, el('summary', {}, 'How the training data was made'), el('p', {}, about.description)) : '',
    el('table', { class: 'acc' }, el('tr', {}, el('th', {}, 'head'), el('th', {}, 'test top-1'), el('th', {}, 'test macro-F1')), ...rows),
    about ? el('p', { class: 'small' }, `Exported ${about.exported} by gblend ${about.gblendVersion}.`) : '');
}
