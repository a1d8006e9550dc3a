/**
 * CSV text to records (RFC 4180: comma-separated, optional double quotes with "" as an escaped quote,
 * LF or CRLF line ends). Pure. Each record keeps the 1-based line it starts on, so that later errors can
 * point at the line a user sees in an editor.
 */
import { DataError } from './errors.js';

export interface CsvTable {
  records: string[][];
  /** 1-based line number where each record starts. */
  lines: number[];
}

export function parseCsv(text: string, file: string, field: string | null): CsvTable {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  // Fast path for the common purely numeric file: no quotes means a split is exact.
  const table = src.includes('"') ? parseQuoted(src, file, field) : parsePlain(src);
  // Trailing blank lines are an editor artefact, not empty examples.
  while (table.records.length > 0 && isBlank(table.records[table.records.length - 1]!)) {
    table.records.pop();
    table.lines.pop();
  }
  return table;
}

function isBlank(record: string[]): boolean {
  return record.length === 1 && record[0]!.trim() === '';
}

function parsePlain(src: string): CsvTable {
  const rows = src.split(/\r\n|\n|\r/);
  return { records: rows.map((r) => r.split(',')), lines: rows.map((_, i) => i + 1) };
}

function parseQuoted(src: string, file: string, field: string | null): CsvTable {
  const records: string[][] = [];
  const lines: number[] = [];
  let line = 1;
  let record: string[] = [];
  let recordLine = 1;
  let i = 0;
  const endRecord = (): void => {
    records.push(record);
    lines.push(recordLine);
    record = [];
  };
  for (;;) {
    // One field per iteration; i is at the field's first character.
    let value = '';
    if (src[i] === '"') {
      const openLine = line;
      i++;
      for (;;) {
        if (i >= src.length) throw new DataError('CSV_SYNTAX', file, field, `unterminated quoted field starting on line ${openLine}`);
        const c = src[i]!;
        if (c === '"') {
          if (src[i + 1] === '"') {
            value += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (c === '\n') line++;
        value += c;
        i++;
      }
      if (i < src.length && src[i] !== ',' && src[i] !== '\n' && src[i] !== '\r') {
        throw new DataError('CSV_SYNTAX', file, field, `line ${line}: unexpected text after a closing quote (use "" for a quote inside a quoted field)`);
      }
    } else {
      const start = i;
      while (i < src.length && src[i] !== ',' && src[i] !== '\n' && src[i] !== '\r') {
        if (src[i] === '"') throw new DataError('CSV_SYNTAX', file, field, `line ${line}: a quote inside an unquoted field (quote the whole field)`);
        i++;
      }
      value = src.slice(start, i);
    }
    record.push(value);
    if (i >= src.length) {
      endRecord();
      return { records, lines };
    }
    const sep = src[i]!;
    i++;
    if (sep === ',') continue;
    if (sep === '\r' && src[i] === '\n') i++;
    line++;
    endRecord();
    recordLine = line;
    if (i >= src.length) return { records, lines };
  }
}
