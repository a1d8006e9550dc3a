/**
 * A Redis server of a test's own: Debian's redis-server on a free 127.0.0.1 port, its data in a
 * temporary folder, written to its append-only file at every write, so that a restart (stop, start)
 * loses nothing, as a production Redis behind a BullMQ queue should be set up. Tests that need it skip,
 * saying so, where redis-server is not installed, except under CI=true, where they must run.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const installed = spawnSync('redis-server', ['--version'], { encoding: 'utf8' }).status === 0;

/** For node:test's `skip`: false where the tests can run (or must: CI=true), else why they skip. */
export const redisSkip: false | string = installed || process.env.CI === 'true' ? false : 'redis-server is not installed (apt-get install redis-server): skipping the queue tests';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export class RedisServer {
  private process: ChildProcess | null = null;

  private constructor(readonly port: number, private readonly dir: string, private readonly password: string | null) {}

  static async start(password: string | null = null): Promise<RedisServer> {
    const server = new RedisServer(await freePort(), await mkdtemp(join(tmpdir(), 'gblend-redis-')), password);
    await server.resume();
    return server;
  }

  /** The queue URL, with the password when there is one. */
  get url(): string {
    return `redis://${this.password === null ? '' : `:${this.password}@`}127.0.0.1:${this.port}`;
  }

  /** Starts the server again on the same port and data (after `stop`). */
  async resume(): Promise<void> {
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir, '--save', '', '--appendonly', 'yes', '--appendfsync', 'always', ...(this.password === null ? [] : ['--requirepass', this.password])];
    const p = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.process = p;
    let out = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`redis-server did not start in 10 s:\n${out}`)), 10_000);
      p.stdout!.on('data', (c: Buffer) => {
        out += c.toString();
        if (out.includes('Ready to accept connections')) {
          clearTimeout(timer);
          resolve();
        }
      });
      p.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`redis-server exited with ${code}:\n${out}`));
      });
    });
    p.stdout!.resume();
    p.removeAllListeners('exit');
  }

  /** Shuts the server down cleanly (SIGTERM: it flushes its data first) and waits for it to exit. */
  async stop(): Promise<void> {
    const p = this.process;
    this.process = null;
    if (p === null || p.exitCode !== null || p.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      p.once('exit', () => resolve());
      p.kill('SIGTERM');
    });
  }

  /** Stops the server and removes its data. */
  async close(): Promise<void> {
    await this.stop();
    await rm(this.dir, { recursive: true, force: true });
  }
}
