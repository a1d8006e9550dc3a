/** Builds DIR/report.html from what `compare --out DIR` wrote: results.json and runs/*.jsonl. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../core/user-error.js';
import { writeFileAtomic } from '../io/atomic.js';
import { errno, fsReason } from '../io/file-error.js';
import { checkOutputFile } from '../io/output-check.js';
import { htmlReport, type MethodRuns } from '../report/html.js';
import { readPlan, readResult } from '../pool/layout.js';
import { aggregateResults, type Results, type SeedResult } from '../report/results.js';
import { runName } from '../report/run-log.js';
import { uplotLibrary } from '../report/uplot-assets.js';
import type { Diagnosis } from '../train/diagnose.js';
import type { RunEvent } from '../train/events.js';

export class ReportError extends UserError {
  constructor(message: string) {
    super('bad_report_input', message);
  }
}

const notFound = (file: string): ReportError => new ReportError(`${file}: not found (is this a folder written by 'gblend compare --out'?)`);

/** The file's text; null if it does not exist. */
async function readIfThere(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    if (errno(e) === 'ENOENT') return null;
    throw new ReportError(`${file}: cannot read: ${fsReason(e)}`);
  }
}

async function readText(file: string): Promise<string> {
  const text = await readIfThere(file);
  if (text === null) throw notFound(file);
  return text;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isAggregate = (v: unknown): boolean => isObject(v) && typeof v.mean === 'number' && typeof v.std === 'number';

/** The fields of results.json the report reads; returns the first that is missing or malformed, or null. */
function badResultsField(r: unknown): string | null {
  if (!isObject(r)) return '(top level)';
  if (typeof r.dataset !== 'string') return 'dataset';
  if (!Array.isArray(r.modalities) || !r.modalities.every((m) => typeof m === 'string')) return 'modalities';
  if (typeof r.epochs !== 'number') return 'epochs';
  if (!isObject(r.methods)) return 'methods';
  for (const [name, m] of Object.entries(r.methods)) {
    const at = `methods.${name}`;
    if (!isObject(m)) return at;
    if (!Array.isArray(m.seeds) || m.seeds.length === 0 || !m.seeds.every((s) => Number.isInteger(s) && s >= 0)) return `${at}.seeds`;
    for (const key of ['test_acc', 'test_macro_f1', 'seconds']) if (!isAggregate(m[key])) return `${at}.${key}`;
    if (!isObject(m.heads) || !Object.values(m.heads).every(isAggregate)) return `${at}.heads`;
    if (!Array.isArray(m.weights) || !m.weights.every((w) => isObject(w) && Object.values(w).every((x) => typeof x === 'number'))) return `${at}.weights`;
  }
  return null;
}

/** One event per line; the report reads the epoch and estimate events, so those are checked for what it reads. */
function parseJsonl(file: string, text: string): RunEvent[] {
  return text.split('\n').map((line, i) => [line, i] as const).filter(([l]) => l.trim() !== '').map(([line, i]) => {
    let e: unknown;
    try {
      e = JSON.parse(line);
    } catch {
      throw new ReportError(`${file}: line ${i + 1} is not valid JSON`);
    }
    const ok = isObject(e) && typeof e.event === 'string' &&
      (e.event !== 'epoch' || (typeof e.epoch === 'number' && isObject(e.heads) && isObject(e.weights))) &&
      (e.event !== 'blend_estimate' || (typeof e.epoch === 'number' && isObject(e.heads) && isObject(e.weights)));
    if (!ok) throw new ReportError(`${file}: line ${i + 1} is not a run event as 'gblend compare' writes them`);
    return e as unknown as RunEvent;
  });
}

/**
 * An interrupted comparison (its plan in DIR/checkpoints; a results.json beside it is an earlier
 * comparison's): the finished runs, aggregated as results.json would hold them, marked with the others.
 */
async function interruptedResults(dir: string): Promise<Results | null> {
  const plan = await readPlan(dir);
  if (plan === null) return null;
  const finished: SeedResult[] = [];
  const missing: string[] = [];
  for (const r of plan.runs) {
    const result = await readResult(dir, r);
    if (result === null) missing.push(`${r.method} seed ${r.seed}`);
    else finished.push(result);
  }
  // Every run finished: the comparison completes by writing results.json, which the report reads.
  if (missing.length === 0) return null;
  if (finished.length === 0) throw new ReportError(`${dir}: the comparison was interrupted before any run finished; nothing to report yet`);
  return { ...aggregateResults(plan.meta, finished), interrupted: { finished: finished.length, total: plan.runs.length, missing } };
}

/**
 * Every seed's log of a method. A log may be missing (a folder trimmed by hand): the report draws the
 * others and says so; with none at all there is nothing to draw, and that is an error.
 */
export async function methodRuns(dir: string, method: string, seeds: number[]): Promise<MethodRuns> {
  const found: MethodRuns = { runs: [], missingSeeds: [] };
  for (const seed of seeds) {
    const file = join(dir, 'runs', `${runName(method, seed)}.jsonl`);
    const text = await readIfThere(file);
    if (text === null) found.missingSeeds.push(seed);
    else found.runs.push({ seed, events: parseJsonl(file, text) });
  }
  if (found.runs.length === 0) throw notFound(join(dir, 'runs', `${runName(method, seeds[0]!)}.jsonl`));
  return found;
}

/** Writes `dir`/report.html and returns its path. Curves are mean ± std over every seed of each method. */
/** DIR/diagnosis.json (written by `gblend diagnose --out`), if there is one; checked for what the report reads. */
async function readDiagnosis(dir: string): Promise<Diagnosis | null> {
  const file = join(dir, 'diagnosis.json');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if (errno(e) === 'ENOENT') return null;
    throw new ReportError(`${file}: cannot read: ${fsReason(e)}`);
  }
  let d: unknown;
  try {
    d = JSON.parse(text);
  } catch {
    throw new ReportError(`${file}: not valid JSON`);
  }
  const bad = !isObject(d) ? '(top level)'
    : !Array.isArray(d.estimates) || !d.estimates.every((e) => isObject(e) && typeof e.epoch === 'number' && isObject(e.result) && isObject(e.result.heads)) ? 'estimates'
      : !isObject(d.reading) || !Array.isArray(d.reading.sentences) || !d.reading.sentences.every((x) => typeof x === 'string') ? 'reading.sentences'
        : !isObject(d.options) || typeof d.options.estimateEpochs !== 'number' ? 'options'
          : !isObject(d.sizes) || typeof d.seed !== 'number' ? 'sizes' : null;
  if (bad !== null) throw new ReportError(`${file}: field '${bad}' is missing or malformed (is this a diagnosis.json written by 'gblend diagnose --out'?)`);
  return d as unknown as Diagnosis;
}

/**
 * What `compare --out DIR` wrote as results: DIR/results.json, or, for a comparison interrupted before
 * it wrote one, its finished runs (marked `interrupted`). Checked for the fields readers use.
 */
export async function readComparisonResults(dir: string): Promise<Results> {
  const resultsFile = join(dir, 'results.json');
  let parsed: unknown;
  try {
    parsed = (await interruptedResults(dir)) ?? JSON.parse(await readText(resultsFile));
  } catch (err) {
    if (err instanceof ReportError) throw err;
    throw new ReportError(`${resultsFile}: not valid JSON`);
  }
  const bad = badResultsField(parsed);
  if (bad !== null) throw new ReportError(`${resultsFile}: field '${bad}' is missing or malformed (is this a results.json written by 'gblend compare'?)`);
  return parsed as Results;
}

export async function writeHtmlReport(dir: string): Promise<string> {
  const results = await readComparisonResults(dir);
  const out = join(dir, 'report.html');
  await checkOutputFile(out, 'the report');
  const runs = new Map<string, MethodRuns>();
  for (const [method, r] of Object.entries(results.methods)) runs.set(method, await methodRuns(dir, method, r.seeds));
  let html: string;
  try {
    html = htmlReport(results, runs, uplotLibrary(), await readDiagnosis(dir));
  } catch (err) {
    // The files passed the checks above but hold a value of the wrong type deeper down (a hand edit).
    if (err instanceof TypeError) throw new ReportError(`${dir}: results.json or a run log holds a value of the wrong type (${err.message})`);
    throw err;
  }
  await writeFileAtomic(out, html, 'the report');
  return out;
}
