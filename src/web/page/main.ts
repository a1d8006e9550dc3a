/**
 * The exported page: loads ./model/ with gblend/web, offers an input per modality (a drawing pad and a
 * sound for avdigits, files otherwise) and shows every head's prediction as the inputs change.
 */
import { serializeNpy } from '../../data/npy.js';
import type { ModelMetadata } from '../../models/model-metadata.js';
import type { WebBackend } from '../backend.js';
import { loadModel, type WebModel } from '../web-model.js';
import { aboutSection, type AboutFile } from './about.js';
import { audioInput } from './audio-input.js';
import { byId, download, el } from './dom.js';
import { drawInput } from './draw-input.js';
import { fileInput, type Examples } from './file-input.js';
import { renderResults, type Variant } from './results.js';

/** The current example per modality (raw values), and whether the person wants it used. */
const current: Record<string, ArrayLike<number> | null> = {};
const wanted: Record<string, boolean> = {};
let predictions = 0;

const isAvdigits = (meta: ModelMetadata): boolean =>
  meta.modalities.map((m) => `${m.name}:${m.shape.join('x')}`).sort().join(',') === 'audio:20x20,image:14x14';

function showError(message: string): void {
  byId('error').textContent = message;
}

/** Non-empty subsets of `list`, largest first (at most 8: enough to show what each modality adds). */
function subsets(list: string[]): string[][] {
  const all: string[][] = [];
  for (let mask = (1 << list.length) - 1; mask > 0; mask--) all.push(list.filter((_, i) => mask & (1 << i)));
  return all.sort((a, b) => b.length - a.length).slice(0, 8);
}

async function update(model: WebModel): Promise<void> {
  const given = model.meta.modalities.map((m) => m.name).filter((m) => current[m] && wanted[m]);
  const target = byId('results');
  for (const m of model.meta.modalities) byId(`download-${m.name}`).toggleAttribute('disabled', !current[m.name]);
  if (given.length === 0) {
    target.replaceChildren(el('p', { class: 'hint' }, 'Give the model an input to see its predictions.'));
  } else {
    const variants: Variant[] = [];
    for (const subset of subsets(given)) {
      // A subset no head can serve (a missing uni-modal head) is simply not shown.
      const prediction = await model.predict(Object.fromEntries(subset.map((m) => [m, current[m]!]))).catch(() => null);
      if (prediction !== null) variants.push({ given: subset, prediction });
    }
    if (variants[0]?.given.length !== given.length) {
      // The last prediction was made from other inputs: it must not stay on screen under this error.
      target.replaceChildren(el('p', { class: 'hint' }, 'No prediction for these inputs.'));
      showError(`No head of this model predicts from ${given.join(' + ')} alone.`);
      return;
    }
    showError('');
    renderResults(target, variants[0]!, variants, given.length);
  }
  document.body.dataset.predictions = String(++predictions);
}

/** One button per modality: browsers hold back several downloads from one click. */
function downloadButton(m: ModelMetadata['modalities'][number]): HTMLButtonElement {
  const button = el('button', { type: 'button', id: `download-${m.name}`, disabled: true }, `${m.name}.npy`);
  button.addEventListener('click', () => {
    const values = current[m.name];
    if (!values) return;
    const data = values instanceof Uint8Array ? values : Float32Array.from(values);
    download(`${m.name}.npy`, serializeNpy({ dtype: data instanceof Uint8Array ? 'uint8' : 'float32', shape: [1, ...m.shape], data }));
  });
  return button;
}

async function main(): Promise<void> {
  // ?backend=wasm (or webgl, cpu) pins the backend: to compare them, or where WebGL misbehaves.
  const pinned = new URLSearchParams(location.search).get('backend');
  const prefer: WebBackend[] | null = pinned === 'webgl' || pinned === 'wasm' || pinned === 'cpu' ? [pinned] : null;
  const model = await loadModel('./model/', prefer ? { prefer } : {});
  const about = (await fetch('./about.json').then((r) => (r.ok ? r.json() : null), () => null)) as AboutFile | null;
  const meta = model.meta;
  byId('about').replaceWith(aboutSection(meta, about, model.backend));
  let queue = Promise.resolve();
  const changed = (): void => {
    queue = queue.then(() => update(model)).catch((err: Error) => showError(err.message));
  };
  const set = (m: string) => (v: ArrayLike<number> | null): void => {
    current[m] = v;
    changed();
  };
  const inputs = byId('inputs');
  if (isAvdigits(meta)) {
    inputs.append(drawInput(set('image')).element, audioInput(set('audio'), showError));
  } else {
    const files: Record<string, Examples | null> = {};
    const index = el('input', { type: 'number', id: 'example-index', min: 0, value: 0 });
    const pick = (): void => {
      const row = Number(index.value);
      if (!Number.isInteger(row) || row < 0) {
        showError(`Example row: ${index.value === '' ? 'empty' : index.value} is not a row number (0, 1, 2, ...)`);
        return;
      }
      for (const m of meta.modalities) current[m.name] = files[m.name]?.row(Math.min(row, files[m.name]!.count - 1)) ?? null;
      changed();
    };
    index.addEventListener('change', pick);
    for (const m of meta.modalities) inputs.append(fileInput(m.name, m.shape, (ex) => ((files[m.name] = ex), pick()), showError));
    inputs.append(el('div', { class: 'input-box' }, el('h3', {}, 'Example'), el('label', {}, 'row (from 0) ', index)));
  }
  const toggles = meta.modalities.map((m) => {
    wanted[m.name] = true;
    const box = el('input', { type: 'checkbox', id: `use-${m.name}`, checked: true });
    box.addEventListener('change', () => ((wanted[m.name] = box.checked), changed()));
    return el('label', {}, box, ` use ${m.name}`);
  });
  byId('toggles').append(...toggles);
  byId('downloads').prepend(...meta.modalities.map(downloadButton));
  document.body.dataset.state = 'ready';
  changed();
}

main().catch((err: Error) => {
  showError(`Could not start: ${err.message}`);
  document.body.dataset.state = 'failed';
});
