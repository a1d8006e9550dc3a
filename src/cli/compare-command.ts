/** `gblend compare`: several methods over several seeds, with progress, Ctrl-C, --jobs, --resume and --serve. */
import type { Command } from 'commander';
import { compare, ComparisonInterrupted } from '../api/compare.js';
import { ConfigError, parseCompareConfig } from '../config/load.js';
import { defaultMethods } from '../methods/registry.js';
import { FUSION_NAMES } from '../models/fusions/names.js';
import { RunsFailedError } from '../pool/outcome.js';
import { formatResultsTable } from '../report/table.js';
import { fileAndFlags, namingFlags, originOf } from './command-options.js';
import { positiveInt, resumeCommand, stopOnCtrlC } from './interrupt.js';
import { DEFAULT_LIVE_PORT, startLivePage } from './live.js';
import { addTrainFlags, COMPARE_ONLY_FLAGS } from './options.js';
import { compareProgress, stderrPrinter } from './progress.js';
import { QUEUE_URL_HELP } from './queue-command.js';
import { parseQueueAddress } from '../queue/address.js';
import { queueSettings } from '../queue/settings.js';

export function addCompareCommand(program: Command): void {
  addTrainFlags(
    program
      .command('compare')
      .description('train several methods for several seeds on one dataset and print a results table')
      .option('--methods <list>', `comma-separated methods (default: ${defaultMethods(['<each modality>', '…']).filter((m) => !m.endsWith('…')).join(',')})`)
      .option('--fusion <list>', `fusion, or comma-separated fusions to run every method with, named method@fusion (${FUSION_NAMES.join(', ')}; default: late)`)
      .option('--seeds <n>', 'number of seeds; runs seeds 0..n-1 (default: 1)')
      .option('--out <dir>', 'write results.json and runs/<method>_seed<s>.jsonl here (default: nothing written)')
      .option('--config <file>', 'YAML or JSON file of options; flags override it')
      .option('--serve [port]', `show the comparison live at http://127.0.0.1:PORT/ while it trains (default port ${DEFAULT_LIVE_PORT}; 0: any free port); needs --out`)
      .option('--jobs <n>', '(method, seed) runs at once, each in a worker process of one thread (default: one per idle core, at most one per run)')
      .option('--resume', 'continue the interrupted comparison in --out: finished runs are kept, the others go on from their last epoch')
      .option('--overwrite', "start over where --out holds a comparison of gblend's, finished or not: its files (only those) are deleted when training starts")
      .option('--queue <url>', `put the runs on this Redis queue for 'gblend worker's on any machine instead of training here; the same command again attaches to the runs already queued. ${QUEUE_URL_HELP}`)
      .option('--verbose', 'print every epoch of every run')
      .option('--quiet', 'print only the table'),
    // compare's --fusion takes a list (the `fusions` option), train's one name (model.fusion).
    ['model.fusion'],
  ).action(namingFlags(COMPARE_ONLY_FLAGS, async (flags) => {
    const options = await fileAndFlags(flags, COMPARE_ONLY_FLAGS, parseCompareConfig);
    const config = parseCompareConfig(options, originOf(flags));
    const jobs = typeof flags.jobs === 'string' ? positiveInt('--jobs', flags.jobs) : undefined;
    const printer = stderrPrinter(flags.quiet === true);
    const address = typeof flags.queue === 'string' ? parseQueueAddress(flags.queue) : null;
    if (address !== null && jobs !== undefined) throw new ConfigError('command line', 'jobs', '--jobs with --queue: the workers decide how many runs train at once (gblend worker --concurrency)');
    const queue = address === null ? {} : {
      queue: {
        address, settings: queueSettings(),
        onAttach: (a: { grid: string; added: number; queued: number; finished: number; retried: number }) => printer.line(
          `Grid ${a.grid} on ${address.shown}: ${a.added} runs queued now, ${a.queued} already queued or running, ${a.finished} finished, ${a.retried} failed before and queued again.`),
      },
    };
    const live = flags.serve === undefined ? null : await startLivePage(flags.serve, config.out, config.data);
    const t0 = performance.now();
    const stop = stopOnCtrlC(printer);
    let results;
    try {
      results = await compare(config, compareProgress(printer, flags.verbose === true, config.epochs), { resume: flags.resume === true, overwrite: flags.overwrite === true, stop, ...(jobs ? { jobs } : {}), ...queue });
    } catch (err) {
      await live?.close();
      if (err instanceof ComparisonInterrupted) {
        if (address !== null) {
          printer.line(`\nInterrupted: ${err.done} of ${err.total} runs finished; the others stay on the queue, where the workers go on with them.`);
          printer.line(`Attach again with the same command: ${resumeCommand()}`);
        } else if (config.out === null) printer.line(`\nInterrupted: ${err.done} of ${err.total} runs finished; nothing is kept without --out.`);
        else {
          printer.line(`\nInterrupted: ${err.done} of ${err.total} runs finished; the others resume from their last epoch.`);
          printer.line(`Resume with: ${resumeCommand()}`);
        }
        process.exitCode = 130;
        return;
      }
      if (err instanceof RunsFailedError) {
        process.stderr.write(`gblend: error: ${err.message}\n`);
        if (config.out !== null) printer.line(`Finished runs are kept; resume with: ${resumeCommand()}`);
        process.exitCode = 1;
        return;
      }
      throw err;
    }
    process.stdout.write(`\n${formatResultsTable(results)}\n`);
    const out = typeof options.out === 'string' ? ` Wrote ${options.out}/results.json, ${options.out}/report.html and ${options.out}/runs/.` : '';
    printer.line(`\nFinished in ${((performance.now() - t0) / 1000).toFixed(0)}s.${out}`);
    if (live) {
      // Training is over: Ctrl-C now just ends the process. The server keeps it alive, so the page can still be read.
      process.removeAllListeners('SIGINT');
      process.stderr.write(`The page stays at ${live.url} until you press Ctrl-C.\n`);
    }
  }));
}
