#!/usr/bin/env node
/** The gblend command line. The only code that prints; everything it does goes through the library API. */
import { existsSync, readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { compare, ComparisonInterrupted } from '../api/compare.js';
import { exportWebPage } from '../api/export-web.js';
import { RunsFailedError } from '../pool/outcome.js';
import { BUILTIN_DATASETS, DEFAULT_DATASET } from '../api/datasets.js';
import { predict } from '../api/predict.js';
import { writeHtmlReport } from '../api/report.js';
import { checkSaveDestination, trainAndSave, trainCheckpointFile } from '../api/train.js';
import { InterruptedError } from '../train/interrupted.js';
import { ConfigError, parseCompareConfig, parseTrainConfig, readConfigObject } from '../config/load.js';
import { isUserError } from '../core/user-error.js';
import { writeFileAtomic } from '../io/atomic.js';
import { checkOutputFile } from '../io/output-check.js';
import { predictionsCsv } from '../report/predictions-csv.js';
import { defaultMethods, METHOD_SPELLINGS, METHODS } from '../methods/registry.js';
import { formatResultsTable } from '../report/table.js';
import { runName } from '../report/run-log.js';
import { DEFAULT_LIVE_PORT, startLivePage } from './live.js';
import { compareProgress, stderrPrinter, trainProgress } from './progress.js';
import { positiveInt, resumeCommand, stopOnCtrlC } from './interrupt.js';
import { addTrainFlags, checkFlags, COMPARE_ONLY_FLAGS, flagsToOptions, TRAIN_FLAGS, TRAIN_ONLY_FLAGS, type FlagSpec } from './options.js';

const VERSION = (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

const program = new Command();
program
  .name('gblend')
  .description(
    'Multi-modal classification that beats its best single modality: per-head\n' +
      'overfitting-to-generalization ratios (OGR) and Gradient-Blending (Wang, Tran &\n' +
      'Feiszli, CVPR 2020) on TensorFlow.js.\n\n' +
      `Built-in datasets: ${Object.keys(BUILTIN_DATASETS).join(', ')} (default: ${DEFAULT_DATASET}).`,
  )
  .version(VERSION)
  // Usage errors (unknown flag, bad choice) exit 2 like every other input error, on one line.
  .exitOverride()
  .configureOutput({ outputError: (text, write) => write(`gblend: ${text.trim().replace(/\s*\n\s*/g, ' ')} (see --help)\n`) })
  .addHelpText('after', `
Examples:
  gblend compare                                   # all methods on the built-in dataset, 1 seed
  gblend compare --methods naive,gblend-online --seeds 3 --epochs 30 --out runs/av
  gblend train --config my-config.yaml --out my-model
  gblend predict --model my-model --data my-data --modalities image
  gblend export --web my-page --model my-model     # a web page that runs the model
  gblend compare --out runs/av --serve 8080        # watch the comparison live in a browser

Methods (each method's own options are flags named --<method>-<option>):
${METHODS.map((m) => `  ${(m.pattern ?? m.name).padEnd(16)} ${m.summary}`).join('\n')}`);

/** The options of a command: the config file's, overridden by flags (checked alone first, so errors name them). */
async function fileAndFlags(flags: Record<string, unknown>, only: FlagSpec[], parse: (o: unknown, origin: string) => unknown): Promise<Record<string, unknown>> {
  const specs = [...TRAIN_FLAGS, ...only];
  checkFlags(flags, specs, parse);
  const base = typeof flags.config === 'string' ? await readConfigObject(flags.config) : {};
  return flagsToOptions(flags, base, specs);
}

/** Errors in merged options name the config file when there is one (flags are checked the same way). */
const originOf = (flags: Record<string, unknown>): string => (typeof flags.config === 'string' ? flags.config : 'options');

addTrainFlags(
  program
    .command('compare')
    .description('train several methods for several seeds on one dataset and print a results table')
    .option('--methods <list>', `comma-separated methods (default: ${defaultMethods(['<each modality>', '…']).filter((m) => !m.endsWith('…')).join(',')})`)
    .option('--seeds <n>', 'number of seeds; runs seeds 0..n-1 (default: 1)')
    .option('--out <dir>', 'write results.json and runs/<method>_seed<s>.jsonl here (default: nothing written)')
    .option('--config <file>', 'YAML or JSON file of options; flags override it')
    .option('--serve [port]', `show the comparison live at http://127.0.0.1:PORT/ while it trains (default port ${DEFAULT_LIVE_PORT}; 0: any free port); needs --out`)
    .option('--jobs <n>', '(method, seed) runs at once, each in a worker process of one thread (default: one per idle core, at most one per run)')
    .option('--resume', 'continue the interrupted comparison in --out: finished runs are kept, the others go on from their last epoch')
    .option('--verbose', 'print every epoch of every run')
    .option('--quiet', 'print only the table'),
).action(async (flags: Record<string, unknown>) => {
  const options = await fileAndFlags(flags, COMPARE_ONLY_FLAGS, parseCompareConfig);
  const config = parseCompareConfig(options, originOf(flags));
  const jobs = typeof flags.jobs === 'string' ? positiveInt('--jobs', flags.jobs) : undefined;
  const printer = stderrPrinter(flags.quiet === true);
  const live = flags.serve === undefined ? null : await startLivePage(flags.serve, config.out, config.data);
  const t0 = performance.now();
  const stop = stopOnCtrlC(printer);
  let results;
  try {
    results = await compare(config, compareProgress(printer, flags.verbose === true, config.epochs), { resume: flags.resume === true, stop, ...(jobs ? { jobs } : {}) });
  } catch (err) {
    await live?.close();
    if (err instanceof ComparisonInterrupted) {
      if (config.out === null) printer.line(`\nInterrupted: ${err.done} of ${err.total} runs finished; nothing is kept without --out.`);
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
});

addTrainFlags(
  program
    .command('train')
    .description('train one model and save it in TensorFlow.js format (model.json + weights.bin + gblend.json)')
    .option('--config <file>', 'YAML or JSON file of options (same keys as the library API); flags override it')
    .option('--method <name>', `${METHOD_SPELLINGS.join(', ')} (default: gblend-online)`)
    .option('--seed <n>', 'seed for splits, initialisation and shuffling (default: 0)')
    .option('--out <dir>', 'folder to save the model in', 'gblend-model')
    .option('--log <file>', 'also write the JSONL run log here')
    .option('--resume', 'continue an interrupted training into --out from its last epoch (checkpoint: <out>.checkpoint)')
    .option('--verbose', 'print every epoch')
    .option('--quiet', 'print only the final line'),
).action(async (flags: Record<string, unknown>) => {
  const options = await fileAndFlags(flags, TRAIN_ONLY_FLAGS, parseTrainConfig);
  const config = parseTrainConfig(options, originOf(flags));
  const out = String(flags.out);
  // Every output is checked before training, so a bad --out or --log does not cost a training run.
  await checkSaveDestination(out);
  if (typeof flags.log === 'string') await checkOutputFile(flags.log, 'the run log');
  const printer = stderrPrinter(flags.quiet === true);
  const stop = stopOnCtrlC(printer);
  let run;
  try {
    run = await trainAndSave(config, out, trainProgress(printer, flags.verbose === true), {
      resume: flags.resume === true, stop, log: typeof flags.log === 'string' ? flags.log : null,
    });
  } catch (err) {
    if (!(err instanceof InterruptedError)) throw err;
    if (!existsSync(trainCheckpointFile(out))) printer.line('\nInterrupted before the first epoch finished: nothing to resume.');
    else {
      printer.line(`\nInterrupted; the last finished epoch is kept in ${trainCheckpointFile(out)}.`);
      printer.line(`Resume with: ${resumeCommand()}`);
    }
    process.exitCode = 130;
    return;
  }
  const head = 'fused' in run.test ? 'fused' : Object.keys(run.test)[0]!;
  process.stdout.write(`Saved ${run.method} model to ${out} (test top-1 ${(100 * run.test[head]!.acc).toFixed(1)}% on the ${head} head; run '${runName(run.method, run.seed)}').\n`);
});

program
  .command('report')
  .description("(re)build DIR/report.html from what 'gblend compare --out DIR' wrote: per-head loss curves, overfitting, weights, OGR estimates")
  .argument('<dir>', 'folder written by gblend compare --out')
  .action(async (dir: string) => {
    process.stdout.write(`Wrote ${await writeHtmlReport(dir)}\n`);
  });

program
  .command('predict')
  .description('run a saved model on a dataset, labelled or not (with labels it also prints top-1 and macro-F1); with a modality missing it uses the remaining uni-modal heads')
  .requiredOption('--model <dir>', 'folder written by gblend train')
  .option('--data <dir|name>', `dataset folder (labels optional) or built-in name`, DEFAULT_DATASET)
  .option('--modalities <list>', 'use only these modalities (default: all the data has)')
  .option('--out <file>', 'write predictions as CSV (row,predicted,p_<class>...)')
  .addOption(new Option('--backend <name>', 'tensor backend (default: auto)').choices(['auto', 'native', 'wasm', 'cpu']))
  .action(async (flags: { model: string; data: string; modalities?: string; out?: string; backend?: 'auto' | 'native' | 'wasm' | 'cpu' }) => {
    const modalities = flags.modalities?.split(',').map((s) => s.trim()).filter((s) => s !== '');
    if (modalities?.length === 0) {
      throw new ConfigError('command line', 'modalities', '--modalities: names no modality; leave the flag out to use every modality the data has');
    }
    if (flags.out) await checkOutputFile(flags.out, 'the predictions');
    const result = await predict(flags.model, flags.data, {
      ...(modalities ? { modalities } : {}),
      ...(flags.backend ? { backend: flags.backend } : {}),
    });
    if (flags.out) await writeFileAtomic(flags.out, predictionsCsv(result.classes, result.predicted, result.probabilities), 'the predictions');
    process.stdout.write(
      `${result.predicted.length} examples, modalities used: ${result.modalitiesUsed.join(', ')}; heads: ${result.heads.join(' + ')}\n` +
        // Unlabelled data has nothing to score against: no accuracy line rather than a made-up one.
        (result.accuracy !== null ? `top-1 ${(100 * result.accuracy).toFixed(2)}%, macro-F1 ${(100 * (result.macroF1 ?? 0)).toFixed(2)}%\n` : '') +
        (flags.out ? `Wrote ${flags.out}\n` : ''),
    );
  });

program
  .command('export')
  .description('write a static web page (index.html, app.js, the model, .wasm files) that runs a saved model in a browser, offline; serve the folder with any static file server')
  .requiredOption('--web <dir>', 'folder to write the page into (new, empty, or a page exported before)')
  .requiredOption('--model <dir>', 'folder written by gblend train')
  .action(async (flags: { web: string; model: string }) => {
    const files = await exportWebPage(flags.model, flags.web);
    process.stdout.write(`Wrote ${files.length} files to ${flags.web}. Serve it with any static file server, for example:\n  python3 -m http.server --bind 127.0.0.1 --directory ${flags.web} 8000\nthen open http://127.0.0.1:8000/\n`);
  });

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    // Commander has printed its message (or the help); only the exit code is left to set.
    process.exitCode = err.exitCode === 0 ? 0 : 2;
  } else if (isUserError(err)) {
    process.stderr.write(`gblend: error: ${err.message}\n`);
    process.exitCode = 2;
  } else {
    throw err;
  }
}
