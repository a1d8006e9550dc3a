/** `gblend worker` and `gblend queue status|clean`: the machines of a grid on a Redis queue (src/queue). */
import { Option, type Command } from 'commander';
import { ConfigError } from '../config/load.js';
import { parseQueueAddress } from '../queue/address.js';
import { cleanQueue, queueStatus, type QueuedRun, type RunState } from '../queue/admin.js';
import { queueSettings } from '../queue/settings.js';
import { runQueueWorker } from '../queue/worker.js';
import { positiveInt, stopOnCtrlC } from './interrupt.js';
import { stderrPrinter } from './progress.js';

export const QUEUE_URL_HELP = 'Redis URL of the queue: redis://[:password@]host[:port][/db], or rediss://... for TLS';

export function addWorkerCommand(program: Command): void {
  program
    .command('worker')
    .description("take runs of 'gblend compare --queue' off a Redis queue and train them, on this machine, until Ctrl-C")
    .requiredOption('--queue <url>', QUEUE_URL_HELP)
    .option('--concurrency <n>', 'runs at once, each in a process of one native thread (default: 1)')
    .action(async (flags: { queue: string; concurrency?: string }) => {
      const address = parseQueueAddress(flags.queue);
      const concurrency = flags.concurrency === undefined ? 1 : positiveInt('--concurrency', flags.concurrency);
      const printer = stderrPrinter(false);
      const stop = stopOnCtrlC({ ...printer, line: () => undefined });
      // A service manager stops with SIGTERM: the same as a first Ctrl-C, runs go back to the queue.
      process.on('SIGTERM', () => void ((stop as { stopped: boolean }).stopped = true));
      await runQueueWorker(address, { concurrency, settings: queueSettings(), stop, log: (line) => printer.line(line) });
    });
}

const ORDER: RunState[] = ['running', 'failed', 'waiting', 'finished'];

/** A line per grid with its counts, then a line per running or failed run. */
function formatStatus(shown: string, runs: QueuedRun[]): string {
  if (runs.length === 0) return `The queue at ${shown} is empty.`;
  const lines = [`Queue at ${shown}:`];
  const grids = [...new Set(runs.map((r) => r.grid))];
  for (const grid of grids) {
    const mine = runs.filter((r) => r.grid === grid);
    lines.push(`  grid ${grid}: ${ORDER.map((s) => `${mine.filter((r) => r.state === s).length} ${s}`).join(', ')}`);
    for (const r of mine) {
      if (r.state !== 'running' && r.state !== 'failed') continue;
      const where = r.worker === null ? '' : ` on ${r.worker}`;
      lines.push(`    ${r.state.padEnd(8)} ${r.run}${where}${r.detail === null ? '' : `: ${r.detail}`}`);
    }
  }
  return lines.join('\n');
}

export function addQueueCommand(program: Command): void {
  program
    .command('queue')
    .description("what the Redis queue of 'gblend compare --queue' holds (status), or empty it (clean)")
    .addOption(new Option('--queue <url>', QUEUE_URL_HELP).makeOptionMandatory())
    .argument('<action>', 'status: runs waiting, running (on which worker, at which epoch), failed and finished, per grid; clean: remove every run, running ones too, and their stored checkpoints')
    .action(async (action: string, flags: { queue: string }) => {
      const address = parseQueueAddress(flags.queue);
      if (action === 'status') {
        process.stdout.write(`${address.redact(formatStatus(address.shown, await queueStatus(address, queueSettings())))}\n`);
      } else if (action === 'clean') {
        const { removed, running } = await cleanQueue(address, queueSettings());
        process.stdout.write(`Removed ${removed} run${removed === 1 ? '' : 's'} from ${address.shown}${running > 0 ? ` (${running} running: their workers drop them)` : ''}, and their stored checkpoints.\n`);
      } else {
        throw new ConfigError('command line', null, `queue: unknown action '${action}'; expected status or clean`);
      }
    });
}
