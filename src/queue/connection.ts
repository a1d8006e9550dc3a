/**
 * Reaching Redis. BullMQ and ioredis reconnect by themselves, forever: a restarted Redis is taken up
 * again without our help. What they do not do is give up, so a coordinator or worker whose Redis stays
 * away would wait silently. A watch pings Redis on its own connection and, after `timeoutMs` without an
 * answer, fails with one line that names the queue (password hidden) and the last connection error.
 */
import { Redis } from 'ioredis';
import { UserError } from '../core/user-error.js';
import type { QueueAddress } from './address.js';
import { TIMEOUT_ENV } from './settings.js';

/** The one BullMQ queue gblend uses; grids share it and are told apart by their job ids. */
export const QUEUE_NAME = 'gblend';

/** Delay between reconnection attempts: short, so that a restarted Redis is found again within a second. */
const RETRY_MS = 250;

export class QueueError extends UserError {
  constructor(message: string) {
    super('queue', message);
  }
}

/** ioredis options: commands wait for a reconnection instead of failing; the watch bounds the wait. */
export function redisOptions(): { maxRetriesPerRequest: null; retryStrategy: (times: number) => number } {
  return { maxRetriesPerRequest: null, retryStrategy: (times) => Math.min(RETRY_MS * times, 2000) };
}

/** Connection options for BullMQ's Queue, QueueEvents and Worker. */
export function bullConnection(address: QueueAddress): ReturnType<typeof redisOptions> & { url: string } {
  return { url: address.url, ...redisOptions() };
}

/** A wrong or missing password is not worth waiting for: Redis answers at once, and will again. */
const AUTH_ERROR = /NOAUTH|WRONGPASS|invalid password|invalid username-password/i;

export interface QueueWatch {
  /** Resolves once Redis has answered; rejects with a QueueError if it does not within the timeout. */
  ready: Promise<void>;
  /** Rejects with a QueueError when Redis stops answering for the timeout (never resolves). */
  lost: Promise<never>;
  close(): Promise<void>;
}

export function watchQueue(address: QueueAddress, timeoutMs: number): QueueWatch {
  const probe = new Redis(address.url, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => RETRY_MS, connectTimeout: Math.min(timeoutMs, 10_000) });
  let lastError = 'no answer';
  probe.on('error', (e: Error) => void (lastError = e.message));
  let answered = false;
  let lastAnswer = Date.now();
  let fail: (e: QueueError) => void = () => undefined;
  let onReady: () => void = () => undefined;
  const lost = new Promise<never>((_resolve, reject) => void (fail = reject));
  const ready = new Promise<void>((resolve, reject) => {
    onReady = resolve;
    lost.catch(reject);
  });
  lost.catch(() => undefined);
  ready.catch(() => undefined);
  const seconds = `${Math.round(timeoutMs / 100) / 10} s`;
  const giveUp = (message: string): void => {
    clearInterval(timer);
    fail(new QueueError(address.redact(message)));
  };
  const check = async (): Promise<void> => {
    try {
      if (probe.status === 'wait') await probe.connect();
      await probe.ping();
      answered = true;
      lastAnswer = Date.now();
      onReady();
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      // While disconnected the ping fails at once with a message of no interest; the connection's own error says why.
      if (!/Stream isn't writeable|Connection is closed/.test(message)) lastError = message;
      if (AUTH_ERROR.test(lastError)) return giveUp(`the queue at ${address.shown} refused the password: ${lastError}`);
      if (Date.now() - lastAnswer < timeoutMs) return;
      giveUp(answered
        ? `lost the queue at ${address.shown}: no answer for ${seconds} (${lastError}); the runs in progress go on from their last checkpoint when the same command is run again`
        : `cannot reach the queue at ${address.shown} within ${seconds} (${lastError}); is Redis running there? (${TIMEOUT_ENV} sets how long to wait)`);
    }
  };
  const timer = setInterval(() => void check(), Math.min(1000, Math.max(100, timeoutMs / 5)));
  void check();
  return {
    ready,
    lost,
    close: async () => {
      clearInterval(timer);
      probe.disconnect();
    },
  };
}

/** A BullMQ Queue, QueueEvents or Worker, or anything else to shut. */
interface Closable {
  close(): Promise<unknown>;
  disconnect?(): Promise<void> | void;
}

/**
 * Closes each, waiting at most `ms` for a clean close (with Redis away, BullMQ would wait for it), then
 * drops their connections, so that nothing keeps reconnecting and the process can exit.
 */
export async function shutDown(items: Closable[], ms = 2000): Promise<void> {
  await within(ms, Promise.allSettled(items.map((i) => i.close())));
  // Neither may settle while Redis is away: the process must still end.
  await within(ms, Promise.allSettled(items.map(async (i) => i.disconnect?.())));
}

/** Waits for `work`, but `ms` at most. */
async function within(ms: number, work: Promise<unknown>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([work, new Promise<void>((resolve) => void (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}
