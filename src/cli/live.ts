/** `gblend compare --serve [port]`: starting the live page and saying where it is. */
import { serveLive, type LiveServer } from '../api/live-server.js';
import { ConfigError } from '../config/load.js';

export const DEFAULT_LIVE_PORT = 8080;

/** `--serve [port]`: the live page of a comparison, started before training so that it shows every epoch. */
export async function startLivePage(serve: unknown, out: string | null, data: string): Promise<LiveServer> {
  const port = serve === true ? DEFAULT_LIVE_PORT : Number(serve);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError('command line', 'serve', `--serve: '${String(serve)}' is not a port number (0 to 65535)`);
  if (out === null) throw new ConfigError('command line', 'serve', '--serve: needs --out DIR: the page reads the run logs written there');
  const live = await serveLive(out, port, `gblend comparison: ${data} (live)`);
  // Printed even with --quiet: it is what the flag asked for.
  process.stderr.write(`Live page: ${live.url} (closing it does not stop training)\n`);
  return live;
}

