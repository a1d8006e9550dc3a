import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chooseBackend, EngineError } from '../../src/engine/index.js';

const cases: [string, Parameters<typeof chooseBackend>[0], string | undefined, boolean, string][] = [
  ['nothing set, native available: native', undefined, undefined, true, 'native'],
  ['nothing set, native unavailable: wasm', undefined, undefined, false, 'wasm'],
  ['auto, native available: native', 'auto', undefined, true, 'native'],
  ['auto, native unavailable: wasm', 'auto', undefined, false, 'wasm'],
  ['explicit cpu', 'cpu', undefined, true, 'cpu'],
  ['explicit wasm', 'wasm', undefined, true, 'wasm'],
  ['explicit native, even where unavailable (starting it says why not)', 'native', undefined, false, 'native'],
  ['explicit native beats env', 'native', 'wasm', true, 'native'],
  ['env native', undefined, 'native', false, 'native'],
  ['env decides when unset', undefined, 'cpu', true, 'cpu'],
  ['env decides for auto', 'auto', 'wasm', true, 'wasm'],
  ['env is trimmed and case-insensitive', 'auto', ' CPU ', true, 'cpu'],
  ['explicit choice beats env', 'wasm', 'cpu', true, 'wasm'],
  ['empty env is ignored', undefined, '', false, 'wasm'],
  ['env auto means auto', undefined, 'auto', true, 'native'],
];

for (const [name, requested, env, native, want] of cases) {
  test(`chooseBackend: ${name}`, () => {
    assert.equal(chooseBackend(requested, env, () => native), want);
  });
}

test('chooseBackend: a forced backend never asks whether native is available', () => {
  const never = (): boolean => assert.fail('nativeAvailable was called');
  assert.equal(chooseBackend('wasm', undefined, never), 'wasm');
  assert.equal(chooseBackend(undefined, 'cpu', never), 'cpu');
  assert.equal(chooseBackend('native', undefined, never), 'native');
});

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
