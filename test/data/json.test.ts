import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { JsonSyntaxError, parseJson } from '../../src/data/json.js';

function failsAt(text: string, line: number, column: number, reason: RegExp): void {
  assert.throws(() => parseJson(text), (e: unknown) => {
    assert.ok(e instanceof JsonSyntaxError, String(e));
    assert.match(e.reason, reason);
    assert.deepEqual([e.line, e.column], [line, column], e.message);
    return true;
  });
}

describe('parseJson', () => {
  test('parses the same values as JSON.parse', () => {
    const texts = [
      '{"a": [1, -2.5e3, 0, true, false, null], "b": {"c": "x\\ny\\u00e9\\"\\\\/"}, "": []}',
      ' 42 ', '"s"', '[]', '{}', '-0.5', '1E+2',
    ];
    for (const t of texts) assert.deepEqual(parseJson(t), JSON.parse(t), t);
  });

  test('ignores a leading BOM', () => {
    assert.deepEqual(parseJson('\uFEFF{"a": 1}'), { a: 1 });
  });

  test('a "__proto__" key is plain data', () => {
    const v = parseJson('{"__proto__": {"x": 1}}') as Record<string, unknown>;
    assert.deepEqual(Object.keys(v), ['__proto__']);
    assert.equal((v as { x?: unknown }).x, undefined);
  });

  test('reports line and column of the first error', () => {
    failsAt('{\n  "a": 1,\n}', 3, 1, /trailing comma/);
    failsAt('[1, 2,]', 1, 7, /trailing comma/);
    failsAt('{"a": 1 "b": 2}', 1, 9, /expected ',' or '}'/);
    failsAt('{\n"a": tru}', 2, 6, /expected a JSON value/);
    failsAt("{'a': 1}", 1, 2, /double-quoted key/);
    failsAt('{"a": 1', 1, 8, /end of input/);
    failsAt('{"a": "x', 1, 7, /unterminated string/);
    failsAt('{"a": "x\ny"}', 1, 9, /control character/);
    failsAt('{"a": 01}', 1, 8, /expected ',' or '}'/);
    failsAt('{} x', 1, 4, /after the end/);
    failsAt('', 1, 1, /expected a JSON value/);
  });

  test('duplicate keys are errors at the second key', () => {
    failsAt('{"m": {"x": 1,\n  "x": 2}}', 2, 3, /duplicate key "x"/);
  });
});
