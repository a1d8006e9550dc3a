import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseCsv } from '../../src/data/csv.js';
import { rejectsWith } from './fixture.js';

const parse = (text: string): ReturnType<typeof parseCsv> => parseCsv(text, 'f.csv', null);

describe('parseCsv', () => {
  test('plain file: LF, CRLF and CR line ends, trailing newlines dropped', () => {
    const expected = { records: [['a', 'b'], ['1', '2'], ['3', '4']], lines: [1, 2, 3] };
    assert.deepEqual(parse('a,b\n1,2\n3,4\n'), expected);
    assert.deepEqual(parse('a,b\r\n1,2\r\n3,4\r\n\r\n'), expected);
    assert.deepEqual(parse('a,b\r1,2\r3,4'), expected);
    assert.deepEqual(parse('\uFEFFa,b\n1,2\n3,4'), expected);
  });

  test('empty text has no records; empty cells are kept', () => {
    assert.deepEqual(parse(''), { records: [], lines: [] });
    assert.deepEqual(parse('\n\n'), { records: [], lines: [] });
    assert.deepEqual(parse(',\n1,').records, [['', ''], ['1', '']]);
  });

  test('quoted fields: commas, escaped quotes and newlines inside; lines counted from the record start', () => {
    const t = parse('"x, y","say ""hi"""\r\n"multi\nline",2\n3,"4"\n');
    assert.deepEqual(t.records, [['x, y', 'say "hi"'], ['multi\nline', '2'], ['3', '4']]);
    assert.deepEqual(t.lines, [1, 2, 4]);
    assert.deepEqual(parse('"",1').records, [['', '1']]);
  });

  test('quote errors name the line', async () => {
    await rejectsWith(() => parse('a\n"b\n'), 'CSV_SYNTAX', 'f.csv', 'unterminated quoted field starting on line 2');
    await rejectsWith(() => parse('a,b\n"x"y,1\n'), 'CSV_SYNTAX', 'f.csv', 'line 2: unexpected text after a closing quote');
    await rejectsWith(() => parse('a,"b"\nx"y,1\n'), 'CSV_SYNTAX', 'f.csv', 'line 2: a quote inside an unquoted field');
  });
});
