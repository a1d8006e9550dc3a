/** Comparing two runs of one comparison: results.json without what no two runs share. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** DIR/results.json as text, without each method's wall times and their ratio to naive's. */
export function timelessResults(out: string): string {
  const r = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as { methods: Record<string, { seconds?: unknown; time_vs_naive?: unknown }> };
  for (const m of Object.values(r.methods)) {
    delete m.seconds;
    delete m.time_vs_naive;
  }
  return JSON.stringify(r);
}
