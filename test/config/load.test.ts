import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ConfigError, parseCompareConfig, parseTrainConfig, readTrainConfig } from '../../src/config/load.js';

test('defaults fill every option, nested ones included', () => {
  const c = parseTrainConfig({});
  assert.equal(c.data, 'avdigits');
  assert.equal(c.method, 'gblend-online');
  assert.equal(c.valFraction, 0.1);
  assert.deepEqual(c.optimizer, { kind: 'sgd', lr: 0.01, momentum: 0.9, weightDecay: 1e-4 });
  assert.equal(c.blend.floor, 'se');
  assert.equal(c.blend.mode, 'shared-full');
  assert.equal(c.blend.warmupEpochs, 10);
  assert.equal(c.blend.superEpochEpochs, 5);
  assert.equal(c.blend.estimateEpochs, null);
});

test('a partial nested object keeps the other nested defaults', () => {
  const c = parseTrainConfig({ optimizer: { kind: 'adam', lr: 0.001 } });
  assert.deepEqual(c.optimizer, { kind: 'adam', lr: 0.001, momentum: 0.9, weightDecay: 1e-4 });
});

const bad: [string, unknown, RegExp, string | null][] = [
  ['unknown top-level key', { epoch: 3 }, /unknown key 'epoch'/, 'epoch'],
  ['unknown nested key', { optimizer: { learningRate: 1 } }, /unknown key 'optimizer.learningRate'/, 'optimizer.learningRate'],
  ['negative learning rate', { optimizer: { lr: -1 } }, /'optimizer.lr'/, 'optimizer.lr'],
  ['non-integer epochs', { epochs: 2.5 }, /'epochs'/, 'epochs'],
  ['bad method', { method: 'magic' }, /'method': must be one of/, 'method'],
  ['bad floor', { blend: { floor: 'median' } }, /'blend.floor'/, 'blend.floor'],
  ['val fraction of 1', { valFraction: 1 }, /'valFraction'/, 'valFraction'],
  ['string for a number', { batchSize: 'big' }, /'batchSize'/, 'batchSize'],
];

for (const [name, input, message, field] of bad) {
  test(`bad option: ${name}`, () => {
    assert.throws(() => parseTrainConfig(input, 'my.yaml'), (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      assert.match(err.message, /^my\.yaml: /);
      assert.match(err.message, message);
      assert.ok(!err.message.includes('\n'), 'one line');
      assert.equal(err.field, field);
      return true;
    });
  });
}

test('compare options: methods, seeds and out, and no per-run method', () => {
  const c = parseCompareConfig({ methods: ['naive', 'uni:audio'], seeds: 3 });
  assert.deepEqual(c.methods, ['naive', 'uni:audio']);
  assert.equal(c.seeds, 3);
  assert.equal(c.out, null);
  assert.throws(() => parseCompareConfig({ method: 'naive' }), /unknown key 'method'/);
});

test('YAML and JSON config files are read and validated, with the file named in errors', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'gblend-config-'));
  await writeFile(join(dir, 'ok.yaml'), 'method: aux\nepochs: 4\noptimizer:\n  kind: adam\n');
  const c = await readTrainConfig(join(dir, 'ok.yaml'));
  assert.equal(c.method, 'aux');
  assert.equal(c.optimizer.kind, 'adam');
  await writeFile(join(dir, 'ok.json'), '{"epochs": 2}');
  assert.equal((await readTrainConfig(join(dir, 'ok.json'))).epochs, 2);
  await writeFile(join(dir, 'bad.yaml'), 'blend:\n  floor: nope\n');
  await assert.rejects(readTrainConfig(join(dir, 'bad.yaml')), /bad\.yaml: 'blend\.floor'/);
  await writeFile(join(dir, 'broken.json'), '{"epochs": ');
  await assert.rejects(readTrainConfig(join(dir, 'broken.json')), /broken\.json: not valid JSON/);
  await writeFile(join(dir, 'list.yaml'), '- 1\n- 2\n');
  await assert.rejects(readTrainConfig(join(dir, 'list.yaml')), /list\.yaml: the config must be a mapping/);
  await assert.rejects(readTrainConfig(join(dir, 'absent.yaml')), /absent\.yaml: cannot read config file/);
});
