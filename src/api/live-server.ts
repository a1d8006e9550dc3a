/**
 * The server behind `gblend compare --serve`: a page on 127.0.0.1 that shows a comparison while it
 * trains, built from the run logs in OUT/runs (the in-progress `.partial` log included) and, once
 * written, OUT/results.json. It only reads files: a closed page, a failed request or a stopped server
 * never touches training. Logs older than the server are an earlier comparison's and are not shown.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { UserError } from '../core/user-error.js';
import { PARTIAL_SUFFIX } from '../io/atomic.js';
import { liveFragment, livePage, type LiveRun } from '../report/live-page.js';
import type { Results } from '../report/results.js';
import { uplotLibrary } from '../report/uplot-assets.js';
import type { RunEvent } from '../train/events.js';

export interface LiveServer {
  url: string;
  close(): Promise<void>;
}

/** Complete lines only: the line being written when we read is left for the next poll. */
function parseEvents(text: string): RunEvent[] {
  const events: RunEvent[] = [];
  for (const line of text.split('\n')) {
    try {
      if (line.trim() !== '') events.push(JSON.parse(line) as RunEvent);
    } catch {
      // A line cut by a concurrent write.
    }
  }
  return events;
}

async function readRuns(runsDir: string, since: number): Promise<LiveRun[]> {
  const names = await readdir(runsDir).catch(() => [] as string[]);
  const found: (LiveRun & { mtime: number })[] = [];
  for (const file of names) {
    const running = file.endsWith(`.jsonl${PARTIAL_SUFFIX}`);
    if (!running && !file.endsWith('.jsonl')) continue;
    const info = await stat(join(runsDir, file)).catch(() => null);
    if (info === null || info.mtimeMs < since) continue;
    const text = await readFile(join(runsDir, file), 'utf8').catch(() => '');
    found.push({ name: file.replace(/\.jsonl(\.partial)?$/, ''), events: parseEvents(text), running, mtime: info.mtimeMs });
  }
  // A run renamed from .partial between readdir and stat may show twice for one poll: keep the finished one.
  const finished = new Set(found.filter((r) => !r.running).map((r) => r.name));
  return found.filter((r) => !r.running || !finished.has(r.name)).sort((a, b) => a.mtime - b.mtime);
}

async function readResults(file: string, since: number): Promise<Results | null> {
  const info = await stat(file).catch(() => null);
  if (info === null || info.mtimeMs < since) return null;
  return readFile(file, 'utf8').then((t) => JSON.parse(t) as Results, () => null);
}

/** Serves the live page for the comparison writing into `out`, on 127.0.0.1:`port` (0: any free port). */
export async function serveLive(out: string, port: number, title: string): Promise<LiveServer> {
  // File times have coarse resolution on some systems: a second of slack keeps the first log.
  const since = Date.now() - 1000;
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    if (path === '/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(livePage(title, uplotLibrary()));
    } else if (path === '/fragment') {
      const results = await readResults(join(out, 'results.json'), since);
      const runs = await readRuns(join(out, 'runs'), since);
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'x-gblend-done': results === null ? '0' : '1' })
        .end(liveFragment(results, runs));
    } else {
      res.writeHead(404).end('not found');
    }
  };
  const server = createServer((req, res) => {
    handle(req, res).catch((err: Error) => {
      if (!res.headersSent) res.writeHead(500);
      res.end(`gblend: ${err.message}`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      reject(err.code === 'EADDRINUSE'
        ? new UserError('port_in_use', `--serve: port ${port} on 127.0.0.1 is in use; choose another (gblend compare --serve PORT), or 0 for any free port`)
        : new UserError('cannot_serve', `--serve: cannot listen on 127.0.0.1:${port}: ${err.message}`));
    });
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const bound = typeof address === 'object' && address !== null ? address.port : port;
  return {
    url: `http://127.0.0.1:${bound}/`,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
