/**
 * Reads one part of a callgrind profile (`valgrind --tool=callgrind --dump-before=...` writes one
 * file per part) into the few sums the step breakdown needs: instructions (Ir) in all, Ir spent in
 * each shared object's own code, Ir inside calls to functions matching a pattern (their callees
 * included), and how many such calls there were. Only the event Ir is read.
 *
 * Format (callgrind's "Callgrind Format Specification"): `ob=`, `fn=` name the current object and
 * function, with `(id) name` defining a compressed name and `(id)` reusing it; a line of numbers is
 * a cost (position, then Ir) of the current function; `cob=`/`cfn=` then `calls=COUNT ...` announce a
 * call, and the next cost line is that call's inclusive cost, not the caller's own.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

export interface CallgrindPart {
  totalIr: number;
  /** Ir of each object's own code (by file name; '???' is code without an object: V8's JIT output). */
  selfByObject: Record<string, number>;
  /** Per pattern: Ir inside calls to matching functions from non-matching ones, and those calls' count. */
  inclusive: Record<string, { ir: number; calls: number }>;
}

/** `(12) name` defines id 12; `(12)` alone refers back to it. */
function resolver(): (value: string) => string {
  const names = new Map<string, string>();
  return (value) => {
    const m = /^\((\d+)\)(?: (.*))?$/.exec(value);
    if (m === null) return value;
    if (m[2] !== undefined) names.set(m[1]!, m[2]);
    return names.get(m[1]!) ?? value;
  };
}

export function readCallgrindPart(file: string, patterns: Record<string, RegExp>): CallgrindPart {
  const obName = resolver();
  const fnName = resolver();
  const selfByObject: Record<string, number> = {};
  const inclusive: Record<string, { ir: number; calls: number }> = Object.fromEntries(Object.keys(patterns).map((k) => [k, { ir: 0, calls: 0 }]));
  let ob = '';
  let fn = '';
  let cfn = '';
  let pendingCalls: number | null = null;
  let totalIr = 0;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const c = line.charCodeAt(0);
    const isCost = (c >= 48 && c <= 57) || c === 43 || c === 45 || c === 42; // digit, +, -, *
    if (isCost) {
      const fields = line.trim().split(/\s+/);
      const ir = Number(fields[1] ?? 0);
      if (pendingCalls !== null) {
        for (const [k, re] of Object.entries(patterns)) {
          if (re.test(cfn) && !re.test(fn)) {
            inclusive[k]!.ir += ir;
            inclusive[k]!.calls += pendingCalls;
          }
        }
        pendingCalls = null;
      } else {
        const key = basename(ob) || '???';
        selfByObject[key] = (selfByObject[key] ?? 0) + ir;
        totalIr += ir;
      }
      continue;
    }
    const eq = line.indexOf('=');
    if (eq < 0) continue;
    const key = line.slice(0, eq);
    const value = line.slice(eq + 1);
    if (key === 'ob') ob = obName(value);
    else if (key === 'fn') fn = fnName(value);
    // A callee's object shares the ids of `ob=`: read only to learn the names it defines.
    else if (key === 'cob') obName(value);
    else if (key === 'cfn') cfn = fnName(value);
    else if (key === 'calls') pendingCalls = Number(value.trim().split(/\s+/)[0]);
  }
  return { totalIr, selfByObject, inclusive };
}
