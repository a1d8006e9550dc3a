/** Builds DIR/report.html from what `compare --out DIR` wrote: results.json and runs/*.jsonl. */
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { htmlReport } from '../report/html.js';
import type { Results } from '../report/results.js';
import { runName } from '../report/run-log.js';
import type { RunEvent } from '../train/events.js';

export class ReportError extends Error {
  readonly code = 'bad_report_input';
}

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch {
    throw new ReportError(`${file}: not found (is this a folder written by 'gblend compare --out'?)`);
  }
}

function parseJsonl(file: string, text: string): RunEvent[] {
  return text.split('\n').filter((l) => l.trim() !== '').map((line, i) => {
    try {
      return JSON.parse(line) as RunEvent;
    } catch {
      throw new ReportError(`${file}: line ${i + 1} is not valid JSON`);
    }
  });
}

/** Writes `dir`/report.html and returns its path. Curves come from each method's first seed. */
export async function writeHtmlReport(dir: string): Promise<string> {
  const resultsFile = join(dir, 'results.json');
  let results: Results;
  try {
    results = JSON.parse(await readText(resultsFile)) as Results;
  } catch (err) {
    if (err instanceof ReportError) throw err;
    throw new ReportError(`${resultsFile}: not valid JSON`);
  }
  const logs = new Map<string, RunEvent[]>();
  for (const [method, r] of Object.entries(results.methods ?? {})) {
    const file = join(dir, 'runs', `${runName(method, r.seeds[0] ?? 0)}.jsonl`);
    logs.set(method, parseJsonl(file, await readText(file)));
  }
  const out = join(dir, 'report.html');
  await writeFile(`${out}.partial`, htmlReport(results, logs));
  await rename(`${out}.partial`, out);
  return out;
}
