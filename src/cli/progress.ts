/** Human-readable progress for long runs: one line per epoch and per estimate, on stderr. */
import type { CompareCallbacks } from '../api/compare.js';
import type { ProgressEvent, RunEvent, TrainCallbacks } from '../train/events.js';

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;

export interface Printer {
  line(text: string): void;
  /** Overwritable status line (TTY only). */
  status(text: string): void;
  /** A status line on a TTY, a plain line elsewhere (logs keep every epoch). */
  progress(text: string): void;
}

export function stderrPrinter(quiet: boolean): Printer {
  const tty = process.stderr.isTTY === true;
  let statusShown = false;
  const clear = (): void => {
    if (statusShown) process.stderr.write('\r\x1b[K');
    statusShown = false;
  };
  return {
    line(text) {
      if (quiet) return;
      clear();
      process.stderr.write(`${text}\n`);
    },
    status(text) {
      if (quiet || !tty) return;
      clear();
      process.stderr.write(text.slice(0, (process.stderr.columns ?? 100) - 1));
      statusShown = true;
    },
    progress(text) {
      if (tty) this.status(text);
      else this.line(text);
    },
  };
}

function weightsText(weights: Record<string, number>): string {
  return Object.entries(weights).map(([h, w]) => `${h} ${w.toFixed(2)}`).join(', ');
}

export function describeEvent(prefix: string, e: RunEvent): string | null {
  switch (e.event) {
    case 'start':
      return `${prefix}start: ${e.sizes.train} train, ${e.sizes.val} val, ${e.sizes.test} test; heads ${e.heads.join(', ')}; backend ${e.backend} (${e.threads} thread${e.threads === 1 ? '' : 's'}${e.native ? `; libtorch ${e.native.torch}, products on ${e.native.gemm}` : ''})`;
    case 'epoch': {
      const heads = Object.entries(e.heads).map(([h, s]) => `${h} ${pct(s.val_acc)}`).join(', ');
      return `${prefix}epoch ${e.epoch}: val acc ${heads} (${e.seconds.toFixed(1)}s)`;
    }
    case 'blend_estimate': {
      const extra = e.fallback !== 'none' ? ` [${e.fallback}: ${e.note ?? ''}]` : '';
      return `${prefix}blend estimate at epoch ${e.epoch} over ${e.epochs} epochs: ${weightsText(e.weights)}${extra} (${e.seconds.toFixed(1)}s)`;
    }
    case 'warning':
      return `${prefix}warning: ${e.message}`;
    case 'method_end': {
      const { event: _e, epochs, ...fields } = e;
      return `${prefix}trained ${epochs} epochs; ${Object.entries(fields).map(([k, v]) => `${k} ${v}`).join(', ')}`;
    }
    case 'test':
      return `${prefix}test: ${Object.entries(e.heads).map(([h, m]) => `${h} ${pct(m.acc)}`).join(', ')}`;
  }
}

function progressText(prefix: string, p: ProgressEvent): string {
  return p.phase === 'estimate'
    ? `${prefix}estimating weights: copy '${p.head}' epoch ${p.epoch}/${p.epochs}`
    : `${prefix}epoch ${p.epoch}/${p.epochs}`;
}

export function trainProgress(printer: Printer, verbose: boolean): TrainCallbacks {
  return {
    onEvent: (e) => {
      const text = describeEvent('', e);
      if (text === null) return;
      if (e.event === 'epoch' && !verbose) printer.progress(text);
      else printer.line(text);
    },
    onProgress: (p) => printer.status(progressText('', p)),
  };
}

export function compareProgress(printer: Printer, verbose: boolean): CompareCallbacks {
  let prefix = '';
  // Warnings are about the data, the same for every run: print each once.
  const warned = new Set<string>();
  return {
    onRunStart: ({ method, seed, index, total }) => {
      prefix = `[${index + 1}/${total}] ${method} seed ${seed}: `;
    },
    onEvent: (_info, e) => {
      if (e.event === 'warning') {
        if (!warned.has(e.message)) printer.line(describeEvent('', e)!);
        warned.add(e.message);
        return;
      }
      const text = describeEvent(prefix, e);
      if (text === null) return;
      if (verbose) printer.line(text);
      else if (e.event === 'epoch') printer.progress(text);
      else if (e.event !== 'start') printer.line(text);
    },
    onProgress: (_info, p) => printer.status(progressText(prefix, p)),
    onRunEnd: (r) => {
      const head = 'fused' in r.test ? 'fused' : Object.keys(r.test)[0]!;
      printer.line(`${prefix}done in ${r.seconds.toFixed(0)}s, test top-1 ${pct(r.test[head]!.acc)}`);
    },
  };
}
