/** `gblend table`: the paper's tables across several comparison folders (one row each), as Markdown. */
import { UserError } from '../core/user-error.js';
import { BEST_UNI, methodsTable, snapshotTable, weightsTable, type ComparisonEntry } from '../report/summary-table.js';
import type { BlendEstimateEvent } from '../train/events.js';
import { methodRuns, readComparisonResults } from './report.js';

export interface TableOptions {
  /** Methods as columns (`best-uni` for the strongest uni-modal one); default best-uni, then every other method found. */
  methods?: string[];
  /** Add each method's wall time over naive's to its cell. */
  time?: boolean;
  /** A row per method and a column per comparison. */
  transpose?: boolean;
  /** Instead: the first estimate's weights and OGR of this method (Table 4), and how often one head took nearly all the weight. */
  weights?: string;
  /** Instead: this method against naive fusion from the same snapshots (Figure 5b). */
  snapshot?: string;
}

class TableError extends UserError {
  constructor(message: string) {
    super('bad_table_input', message);
  }
}

/** The label of a folder's row: the path as given, without a trailing slash. */
const labelOf = (dir: string): string => dir.replace(/\/+$/, '') || dir;

function defaultColumns(entries: readonly ComparisonEntry[]): string[] {
  const others = new Set(entries.flatMap((e) => Object.keys(e.results.methods).filter((m) => !m.startsWith('uni:'))));
  return [BEST_UNI, ...others];
}

async function runsOf(dir: string, entry: ComparisonEntry, method: string) {
  const r = entry.results.methods[method];
  if (r === undefined) throw new TableError(`${dir}: no method '${method}' in this comparison (it has ${Object.keys(entry.results.methods).join(', ')})`);
  return (await methodRuns(dir, method, r.seeds)).runs;
}

export async function comparisonTable(dirs: readonly string[], options: TableOptions = {}): Promise<string> {
  if (dirs.length === 0) throw new TableError("name at least one folder written by 'gblend compare --out'");
  const entries: ComparisonEntry[] = [];
  for (const dir of dirs) entries.push({ label: labelOf(dir), results: await readComparisonResults(dir) });
  if (options.weights !== undefined) {
    const method = options.weights;
    const rows = [];
    for (const [i, entry] of entries.entries()) {
      const estimates = (await runsOf(dirs[i]!, entry, method)).map((run) => run.events.filter((e): e is BlendEstimateEvent => e.event === 'blend_estimate'));
      rows.push({ label: entry.label, estimates });
    }
    return weightsTable(rows);
  }
  if (options.snapshot !== undefined) {
    const rows = [];
    for (const [i, entry] of entries.entries()) rows.push({ label: entry.label, runs: await runsOf(dirs[i]!, entry, options.snapshot) });
    return snapshotTable(rows);
  }
  return methodsTable(entries, options.methods ?? defaultColumns(entries), { time: options.time === true, transpose: options.transpose === true });
}
