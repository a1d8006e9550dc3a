/**
 * fast-check generators of malformed input files: .npy bytes, CSV text, dataset.json values and config
 * files. Each starts from something valid and breaks it in one of the ways files really break (cut
 * short, a byte flipped, a field of the wrong type, a stray quote), or is noise outright, so that the
 * loaders' success paths are reached as often as their error paths.
 */
import fc from 'fast-check';
import { serializeNpy, type NpyDtype } from '../../src/data/npy.js';

const DTYPES: NpyDtype[] = ['float32', 'float64', 'uint8', 'int8', 'int16', 'uint16', 'int32', 'uint32', 'int64', 'uint64', 'bool'];
const BYTES: Record<NpyDtype, number> = { float32: 4, float64: 8, uint8: 1, int8: 1, int16: 2, uint16: 2, int32: 4, uint32: 4, int64: 8, uint64: 8, bool: 1 };

/** A well-formed .npy of the given rows (or any rows), with random bytes as its values. */
export function validNpy(rows: fc.Arbitrary<number> = fc.integer({ min: 0, max: 6 })): fc.Arbitrary<Uint8Array> {
  return fc
    .record({ dtype: fc.constantFrom(...DTYPES), rows, rest: fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 2 }), seed: fc.uint8Array({ minLength: 64, maxLength: 64 }) })
    .map(({ dtype, rows: n, rest, seed }) => {
      const shape = [n, ...rest];
      const count = shape.reduce((a, b) => a * b, 1);
      const raw = new Uint8Array(count * BYTES[dtype]).map((_, i) => seed[i % 64]! ^ (i * 31));
      const data = ({
        float32: Float32Array, float64: Float64Array, uint8: Uint8Array, bool: Uint8Array, int8: Int8Array, int16: Int16Array,
        uint16: Uint16Array, int32: Int32Array, uint32: Uint32Array, int64: BigInt64Array, uint64: BigUint64Array,
      } as const)[dtype];
      return serializeNpy({ dtype, shape, data: new data(raw.buffer, 0, count) as never });
    });
}

/** Labels or split values: small integers of an integer dtype, `rows` of them. */
export function intNpy(rows: fc.Arbitrary<number>, max: number): fc.Arbitrary<Uint8Array> {
  return rows.chain((n) =>
    fc.tuple(fc.constantFrom<NpyDtype>('int32', 'int64', 'uint8', 'float32'), fc.array(fc.integer({ min: -1, max }), { minLength: n, maxLength: n })).map(([dtype, values]) => {
      const data = dtype === 'int64' ? BigInt64Array.from(values, BigInt) : dtype === 'int32' ? Int32Array.from(values) : dtype === 'uint8' ? Uint8Array.from(values) : Float32Array.from(values);
      return serializeNpy({ dtype, shape: [n], data });
    }),
  );
}

/** Ways bytes break: cut short, bytes overwritten, header text replaced, or nothing at all. */
export function breakBytes(valid: fc.Arbitrary<Uint8Array>): fc.Arbitrary<Uint8Array> {
  const header = fc.oneof(
    fc.string({ maxLength: 80 }),
    fc.constantFrom("{'descr': '>f4', 'fortran_order': False, 'shape': (2,), }", "{'descr': '<f4', 'fortran_order': True, 'shape': (2,), }",
      "{'descr': '<f4', 'fortran_order': False, 'shape': (-1,), }", "{'descr': '<U3', 'fortran_order': False, 'shape': (2,), }",
      "{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999, 99999999999), }", "{'descr': '<f4', 'shape': (1,)}"),
  );
  return fc.oneof(
    { weight: 3, arbitrary: valid },
    fc.tuple(valid, fc.nat()).map(([b, n]) => b.subarray(0, b.length === 0 ? 0 : n % b.length)),
    fc.tuple(valid, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 })).map(([b, edits]) => {
      const out = b.slice();
      for (const [at, v] of edits) if (out.length > 0) out[at % out.length] = v;
      return out;
    }),
    fc.tuple(header, fc.integer({ min: 1, max: 3 }), fc.uint8Array({ maxLength: 24 })).map(([h, major, tail]) => {
      const text = new TextEncoder().encode(h);
      const head = major === 1 ? [major, 0, text.length & 0xff, text.length >> 8] : [major, 0, text.length & 0xff, (text.length >> 8) & 0xff, 0, 0];
      return Uint8Array.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, ...head, ...text, ...tail]);
    }),
    fc.uint8Array({ maxLength: 64 }),
  );
}

const CELLS = ['1', '0', '-2.5', '3.0', '1e39', 'nan', '-inf', '', ' ', 'cat', 'dog', '"a,b"', '"say ""hi"""', '"open', 'x"y', '0x10', '1;2', '\t', 'c0', 'c1', '2'];

/** CSV text: a grid of plausible and broken cells, rows of equal or ragged width, any line ending. */
export function csvText(rows: fc.Arbitrary<number>): fc.Arbitrary<string> {
  const cell = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...CELLS) }, fc.double().map(String), fc.string({ maxLength: 6 }));
  return fc
    .record({
      header: fc.boolean(),
      width: fc.integer({ min: 1, max: 4 }),
      rows,
      cells: fc.array(cell, { minLength: 40, maxLength: 40 }),
      numeric: fc.boolean(),
      eol: fc.constantFrom('\n', '\r\n', '\r'),
      ragged: fc.option(fc.nat(), { nil: null }),
    })
    .map(({ header, width, rows: n, cells, numeric, eol, ragged }) => {
      const lines: string[] = header ? [Array.from({ length: width }, (_, j) => (j === width - 1 ? 'y' : `f${j}`)).join(',')] : [];
      for (let r = 0; r < n; r++) {
        const w = ragged !== null && ragged % (n + 1) === r ? width + 1 : width;
        // Half the files are clean numbers with a class label last, so loading often succeeds.
        lines.push(Array.from({ length: w }, (_, j) => (numeric ? (j === w - 1 ? String(r % 2) : String(r * 0.5 + j)) : cells[(r * 7 + j) % 40]!)).join(','));
      }
      return lines.join(eol) + (n % 2 === 0 ? eol : '');
    });
}
