/** The queue URL: what is accepted, and that its password never shows (pure). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseQueueAddress, redactUrlText } from '../../src/queue/address.js';
import { decodeFailure, encodeFailure, parseRunPayload } from '../../src/queue/payload.js';
import { queueSettings } from '../../src/queue/settings.js';

test('redis:// and rediss:// URLs are accepted; the password is hidden wherever it appears', () => {
  for (const [url, shown] of [
    ['redis://:s3cr%40t@db.example:6380/2', 'redis://:***@db.example:6380/2'],
    ['rediss://user:s3cr%40t@db.example', 'rediss://user:***@db.example'],
    ['redis://127.0.0.1:6379', 'redis://127.0.0.1:6379'],
  ] as const) {
    const a = parseQueueAddress(url);
    assert.equal(a.shown, shown);
    if (url.includes('s3cr')) assert.equal(a.redact(`failed: AUTH s3cr%40t / s3cr@t at ${url}`), `failed: AUTH *** / *** at ${shown}`);
  }
  assert.equal(redactUrlText('--queue=redis://:pw@h:1'), '--queue=redis://:***@h:1');
});

test('a queue URL that is not one is a one-line error naming --queue, without the password', () => {
  for (const [url, why] of [
    ['http://:pw@host', /is not a Redis URL \(http:\/\/\)/],
    ['not a url', /is not a URL/],
    ['redis://:pw@host/queue', /has a path that is not a database number/],
  ] as const) {
    assert.throws(() => parseQueueAddress(url), (err: Error) => why.test(err.message) && err.message.startsWith('--queue: ') && !err.message.includes('pw@'));
  }
});

test('a payload is checked like a config, and keeps the sender\'s key order', () => {
  const good = { version: 1, grid: '0123456789abcdef', index: 3, name: 'naive', data: 'avdigits', dataHash: 'a'.repeat(64), backend: 'wasm', config: { seed: 2, method: 'naive', epochs: 3 } };
  const parsed = parseRunPayload(good, 'j');
  assert.deepEqual(Object.keys(parsed.config).slice(0, 3), ['seed', 'method', 'epochs']);
  assert.equal(parsed.config.batchSize, 64, 'defaults filled in');
  for (const [bad, message] of [
    [{ ...good, version: 2 }, /'version': must be one of 1, got 2/],
    [{ ...good, dataHash: 'xyz' }, /'dataHash'/],
    [{ ...good, config: { epochs: -1 } }, /'config.epochs': must be greater than 0, got -1/],
    [{ ...good, extra: 1 }, /unknown key 'extra'/],
  ] as const) {
    assert.throws(() => parseRunPayload(bad, 'g.naive_seed0'), (err: Error & { code?: string }) => err.code === 'bad_job' && message.test(err.message) && err.message.startsWith("queued job 'g.naive_seed0' is not a gblend run: "));
  }
});

test('failure reasons carry their user-error code; anyone else\'s reason is kept as it is', () => {
  assert.deepEqual(decodeFailure(encodeFailure('the dataset differs', 'bad_data')), { message: 'the dataset differs', code: 'bad_data' });
  assert.deepEqual(decodeFailure('job stalled more than allowable limit'), { message: 'job stalled more than allowable limit', code: null });
});

test('queue timings come from the environment, checked', () => {
  assert.deepEqual(queueSettings({}), { lockMs: 30_000, timeoutMs: 60_000 });
  assert.deepEqual(queueSettings({ GBLEND_QUEUE_LOCK_MS: '1000' }).lockMs, 1000);
  assert.throws(() => queueSettings({ GBLEND_QUEUE_TIMEOUT_MS: '5s' }), /GBLEND_QUEUE_TIMEOUT_MS: must be a whole number of milliseconds, at least 100, got '5s'/);
});
