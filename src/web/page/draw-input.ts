/**
 * The drawing pad: a person draws a digit with the mouse, a pen or a finger (pointer events); the ink
 * becomes the model's 14x14 image input through the same preprocessing as the dataset's MNIST images.
 */
import { inkToDigit } from '../../features/handwritten-digit.js';
import { el } from './dom.js';

const SIZE = 280;
/** Stroke width in canvas pixels: about MNIST's pen on its 28x28 grid, at 10x. */
const PEN = 22;

export interface DrawInput {
  element: HTMLElement;
  clear(): void;
}

/** Draws the 14x14 input, scaled up, so a person sees what the model sees. */
export function paintPreview(canvas: HTMLCanvasElement, values: ArrayLike<number>, rows: number, cols: number, invert: boolean): void {
  const ctx = canvas.getContext('2d')!;
  const image = ctx.createImageData(cols, rows);
  for (let i = 0; i < rows * cols; i++) {
    const v = invert ? 255 - values[i]! : values[i]!;
    image.data.set([v, v, v, 255], 4 * i);
  }
  canvas.width = cols;
  canvas.height = rows;
  ctx.putImageData(image, 0, 0);
}

export function drawInput(onChange: (image: Uint8Array | null) => void): DrawInput {
  const pad = el('canvas', { id: 'pad', width: SIZE, height: SIZE, 'aria-label': 'drawing pad: draw a digit' });
  const preview = el('canvas', { id: 'image-preview', class: 'preview', title: 'what the model sees (14×14)' });
  const ctx = pad.getContext('2d', { willReadFrequently: true })!;
  ctx.lineCap = 'round';
  ctx.lineJoin = 'round';
  ctx.lineWidth = PEN;
  ctx.strokeStyle = '#000';
  let drawing = false;
  let inked = false;

  const emit = (): void => {
    if (!inked) {
      paintPreview(preview, new Uint8Array(14 * 14), 14, 14, true);
      onChange(null);
      return;
    }
    const rgba = ctx.getImageData(0, 0, SIZE, SIZE).data;
    const ink = new Float32Array(SIZE * SIZE);
    for (let i = 0; i < ink.length; i++) ink[i] = rgba[4 * i + 3]! / 255;
    const image = inkToDigit(ink, SIZE, SIZE);
    paintPreview(preview, image, 14, 14, true);
    onChange(image);
  };
  const point = (e: PointerEvent): [number, number] => {
    const r = pad.getBoundingClientRect();
    return [((e.clientX - r.left) * SIZE) / r.width, ((e.clientY - r.top) * SIZE) / r.height];
  };
  pad.addEventListener('pointerdown', (e) => {
    drawing = true;
    pad.setPointerCapture(e.pointerId);
    const [x, y] = point(e);
    ctx.beginPath();
    ctx.moveTo(x, y);
    ctx.lineTo(x, y);
    ctx.stroke();
    inked = true;
  });
  pad.addEventListener('pointermove', (e) => {
    if (!drawing) return;
    const [x, y] = point(e);
    ctx.lineTo(x, y);
    ctx.stroke();
  });
  const end = (): void => {
    if (!drawing) return;
    drawing = false;
    emit();
  };
  pad.addEventListener('pointerup', end);
  pad.addEventListener('pointercancel', end);
  const clear = (): void => {
    ctx.clearRect(0, 0, SIZE, SIZE);
    inked = false;
    emit();
  };
  const button = el('button', { type: 'button', id: 'clear-drawing' }, 'Clear');
  button.addEventListener('click', clear);
  paintPreview(preview, new Uint8Array(14 * 14), 14, 14, true);
  const element = el('div', { class: 'input-box' }, el('h3', {}, 'Draw a digit'), pad,
    el('div', { class: 'row' }, button, el('span', { class: 'small' }, 'model input:'), preview));
  return { element, clear };
}
