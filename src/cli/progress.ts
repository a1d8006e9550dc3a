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

export function progressText(prefix: string, p: ProgressEvent): string {
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

/** "1m05s" from seconds, for the ETA. */
export function duration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

/**
 * The whole comparison on one status line: runs done, each running run's epoch (one per worker) and
 * an ETA from the epochs trained so far in this session; events as lines prefixed with their run.
 */
export function compareProgress(printer: Printer, verbose: boolean, epochs: number): CompareCallbacks {
  const key = (i: { method: string; seed: number }): string => `${i.method} seed ${i.seed}`;
  const prefixes = new Map<string, string>();
  const running = new Map<string, number>();
  let total = 0;
  let done = 0;
  let epochsAtStart = 0;
  const t0 = performance.now();
  const prefix = (i: { method: string; seed: number }): string => prefixes.get(key(i)) ?? `${key(i)}: `;
  const status = (): void => {
    const trained = done * epochs + [...running.values()].reduce((a, b) => a + b, 0);
    const rate = (trained - epochsAtStart) / ((performance.now() - t0) / 1000);
    const eta = rate > 0 ? `, ETA ${duration((total * epochs - trained) / rate)}` : '';
    printer.status(`${done}/${total} runs done; ${[...running].map(([k, e]) => `${k} epoch ${e}/${epochs}`).join(', ')}${eta}`);
  };
  // Warnings are about the data, the same for every run: print each once.
  const warned = new Set<string>();
  return {
    onPlan: (p) => {
      total = p.total;
      done = p.done;
      epochsAtStart = done * epochs;
      if (p.skipped.length > 0) printer.line(`Not run (the method is not defined for the fusion; docs/methods.md, Fusions): ${p.skipped.join(', ')}.`);
      if (p.done > 0) printer.line(`Resuming: ${p.done} of ${p.total} runs already finished.`);
    },
    onRunStart: (r) => {
      prefixes.set(key(r), `[${r.index + 1}/${r.total}] ${key(r)}: `);
      running.set(key(r), 0);
    },
    onEvent: (info, e) => {
      if (e.event === 'warning') {
        if (!warned.has(e.message)) printer.line(describeEvent('', e)!);
        warned.add(e.message);
        return;
      }
      if (e.event === 'epoch') running.set(key(info), e.epoch);
      const text = describeEvent(prefix(info), e);
      if (text === null) return;
      if (verbose) printer.line(text);
      else if (e.event === 'epoch') printer.progress(text);
      else if (e.event !== 'start') printer.line(text);
      status();
    },
    onProgress: (info, p) => {
      if (p.phase === 'train') running.set(key(info), p.epoch);
      if (running.size > 1 || p.phase === 'train') status();
      else printer.status(progressText(prefix(info), p));
    },
    onRunEnd: (r) => {
      running.delete(key(r));
      done++;
      const head = 'fused' in r.test ? 'fused' : Object.keys(r.test)[0]!;
      printer.line(`${prefix(r)}done in ${r.seconds.toFixed(0)}s, test top-1 ${pct(r.test[head]!.acc)}`);
      status();
    },
  };
}
