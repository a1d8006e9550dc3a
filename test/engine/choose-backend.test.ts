import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chooseBackend, EngineError } from '../../src/engine/index.js';

const cases: [string, Parameters<typeof chooseBackend>[0], string | undefined, string][] = [
  ['nothing set: wasm', undefined, undefined, 'wasm'],
  ['auto: wasm', 'auto', undefined, 'wasm'],
  ['explicit cpu', 'cpu', undefined, 'cpu'],
  ['explicit wasm', 'wasm', undefined, 'wasm'],
  ['env decides when unset', undefined, 'cpu', 'cpu'],
  ['env decides for auto', 'auto', 'cpu', 'cpu'],
  ['env is trimmed and case-insensitive', 'auto', ' CPU ', 'cpu'],
  ['explicit choice beats env', 'wasm', 'cpu', 'wasm'],
  ['empty env is ignored', undefined, '', 'wasm'],
  ['env auto means auto', undefined, 'auto', 'wasm'],
];

for (const [name, requested, env, want] of cases) {
  test(`chooseBackend: ${name}`, () => {
    assert.equal(chooseBackend(requested, env), want);
  });
}

test('chooseBackend: an unknown GBLEND_BACKEND is a typed error', () => {
  assert.throws(() => chooseBackend(undefined, 'tensorflow'), (err: unknown) => {
    assert.ok(err instanceof EngineError);
    assert.equal(err.code, 'ENGINE_BAD_BACKEND');
    assert.match(err.message, /GBLEND_BACKEND='tensorflow'/);
    return true;
  });
});

test('chooseBackend: an unknown requested backend is a typed error', () => {
  assert.throws(() => chooseBackend('webgl' as never, undefined), (err: unknown) => err instanceof EngineError && err.code === 'ENGINE_BAD_BACKEND');
});
