import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { NpyFormatError, parseNpy, serializeNpy, type NpyProblem } from '../../src/data/npy.js';

/** A .npy v1.0 file written byte by byte as NumPy does: np.save(f, np.array([[1, 2], [3, 4]], '<i2')). */
function handMade(): Uint8Array {
  const header = "{'descr': '<i2', 'fortran_order': False, 'shape': (2, 2), }";
  const padded = header + ' '.repeat(128 - 10 - header.length - 1) + '\n';
  const out = new Uint8Array(128 + 8);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, padded.length, 0]);
  out.set(new TextEncoder().encode(padded), 10);
  out.set([1, 0, 2, 0, 3, 0, 4, 0], 128);
  return out;
}

function problem(bytes: Uint8Array): NpyProblem {
  try {
    parseNpy(bytes);
  } catch (e) {
    assert.ok(e instanceof NpyFormatError);
    return e.reason;
  }
  assert.fail('expected an NpyFormatError');
}

describe('parseNpy', () => {
  test('reads a hand-made NumPy file', () => {
    const arr = parseNpy(handMade());
    assert.equal(arr.dtype, 'int16');
    assert.deepEqual(arr.shape, [2, 2]);
    assert.deepEqual(Array.from(arr.data as Int16Array), [1, 2, 3, 4]);
  });

  test('reads from an unaligned view (as Node Buffers often are)', () => {
    const bytes = serializeNpy({ dtype: 'float32', shape: [3], data: Float32Array.from([1.5, -2, 3]) });
    const shifted = new Uint8Array(bytes.length + 1);
    shifted.set(bytes, 1);
    assert.deepEqual(Array.from(parseNpy(shifted.subarray(1)).data as Float32Array), [1.5, -2, 3]);
  });

  test('a Node Buffer from a shared pool gives its own values, not the pool\'s', () => {
    const bytes = serializeNpy({ dtype: 'int32', shape: [2], data: Int32Array.from([7, -9]) });
    const pooled = Buffer.concat([Buffer.from('some other bytes in the pool'), Buffer.from(bytes)]).subarray(28);
    const arr = parseNpy(pooled);
    assert.deepEqual(Array.from(arr.data as Int32Array), [7, -9]);
    assert.equal(arr.data.buffer.byteLength, 8, 'the data owns a buffer of exactly its size');
  });

  test('version 2.0 headers', () => {
    const v1 = handMade();
    const v2 = new Uint8Array(v1.length + 2);
    v2.set(v1.subarray(0, 8));
    v2[6] = 2;
    new DataView(v2.buffer).setUint32(8, 118, true);
    v2.set(v1.subarray(10), 12);
    assert.deepEqual(Array.from(parseNpy(v2).data as Int16Array), [1, 2, 3, 4]);
  });

  test('tells format problems apart', () => {
    const good = handMade();
    const edit = (at: number, text: string): Uint8Array => {
      const b = good.slice();
      b.set(new TextEncoder().encode(text), at);
      return b;
    };
    const headerAt = (s: string): number => 10 + new TextDecoder().decode(good.subarray(10, 128)).indexOf(s);
    assert.equal(problem(new TextEncoder().encode('not numpy at all')), 'magic');
    assert.equal(problem(edit(6, '\x05')), 'version');
    assert.equal(problem(edit(headerAt('<i2'), '<c8')), 'dtype');
    assert.equal(problem(edit(headerAt('<i2'), '>i2')), 'dtype');
    assert.equal(problem(edit(headerAt('False'), 'True ')), 'order');
    assert.equal(problem(edit(headerAt("'shape'"), "'shapX'")), 'header');
    assert.equal(problem(good.subarray(0, good.length - 1)), 'size');
    const longer = new Uint8Array(good.length + 2);
    longer.set(good);
    assert.equal(problem(longer), 'size');
    assert.equal(problem(good.subarray(0, 60)), 'header');
  });
});

describe('serializeNpy', () => {
  test('writes a 64-byte aligned v1.0 header that NumPy would write', () => {
    const bytes = serializeNpy({ dtype: 'int16', shape: [2, 2], data: Int16Array.from([1, 2, 3, 4]) });
    assert.deepEqual(bytes, handMade());
  });

  test('round-trips every dtype, 0-D and 1-D shapes', () => {
    const cases = [
      { dtype: 'float64', shape: [2], data: Float64Array.from([0.1, -1e300]) },
      { dtype: 'uint8', shape: [1, 3], data: Uint8Array.from([0, 128, 255]) },
      { dtype: 'int64', shape: [2], data: BigInt64Array.from([-(2n ** 40n), 7n]) },
      { dtype: 'uint64', shape: [], data: BigUint64Array.from([2n ** 63n]) },
      { dtype: 'bool', shape: [2], data: Uint8Array.from([1, 0]) },
      { dtype: 'float32', shape: [0, 4], data: new Float32Array(0) },
    ] as const;
    for (const c of cases) {
      const bytes = serializeNpy({ ...c, shape: [...c.shape] });
      const back = parseNpy(bytes);
      assert.equal(back.dtype, c.dtype);
      assert.deepEqual(back.shape, c.shape);
      assert.deepEqual(Array.from(back.data as ArrayLike<unknown>), Array.from(c.data as ArrayLike<unknown>));
      assert.equal((bytes.length - c.data.byteLength) % 64, 0, 'data starts on a 64-byte boundary');
    }
  });

  test('refuses data that does not fill the shape', () => {
    assert.throws(() => serializeNpy({ dtype: 'float32', shape: [2, 2], data: new Float32Array(3) }), /3 values, shape \[2, 2\] needs 4/);
  });
});
