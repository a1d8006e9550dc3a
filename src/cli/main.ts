#!/usr/bin/env node
/** The gblend command line. The only code that prints; everything it does goes through the library API. */
import { existsSync, readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { exportWebPage } from '../api/export-web.js';
import { BUILTIN_DATASETS, DEFAULT_DATASET } from '../api/datasets.js';
import { predict } from '../api/predict.js';
import { writeHtmlReport } from '../api/report.js';
import { checkSaveDestination, trainAndSave, trainCheckpointFile } from '../api/train.js';
import { InterruptedError } from '../train/interrupted.js';
import { ConfigError, parseTrainConfig } from '../config/load.js';
import { isUserError } from '../core/user-error.js';
import { writeFileAtomic } from '../io/atomic.js';
import { checkOutputFile } from '../io/output-check.js';
import { predictionsCsv } from '../report/predictions-csv.js';
import { METHOD_SPELLINGS, METHODS } from '../methods/registry.js';
import { runName } from '../report/run-log.js';
import { addCompareCommand } from './compare-command.js';
import { addDiagnoseCommand } from './diagnose-command.js';
import { addTableCommand } from './table-command.js';
import { addQueueCommand, addWorkerCommand } from './queue-command.js';
import { fileAndFlags, namingFlags, originOf } from './command-options.js';
import { stderrPrinter, trainProgress } from './progress.js';
import { resumeCommand, stopOnCtrlC } from './interrupt.js';
import { addTrainFlags, TRAIN_ONLY_FLAGS } from './options.js';

// A reader that closes the pipe early (`gblend --help | head`, `gblend compare 2>&1 | head`) must
// not end in an unhandled EPIPE stack trace, nor stop a run half-way: what is left to print is
// dropped and the command goes on to its end (its files and exit code are unchanged).
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') throw error;
  });
}

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
  gblend compare                                   # the paper's methods on the built-in dataset, 1 seed
  gblend compare --methods naive,gblend-online --seeds 3 --epochs 30 --out runs/av
  gblend diagnose --data my-data                   # which modality overfits first; is naive fusion at risk?
  gblend train --config my-config.yaml --out my-model
  gblend predict --model my-model --data my-data --modalities image
  gblend export --web my-page --model my-model     # a web page that runs the model
  gblend compare --out runs/av --serve 8080        # watch the comparison live in a browser
  gblend compare --methods ogm-ge,pmr --fusion mid --jobs 2 --out runs/x   # Ctrl-C, then add --resume
  gblend worker --queue redis://host:6379          # on each machine of a grid (README: Several machines)
  gblend compare --seeds 10 --out runs/big --queue redis://host:6379

Methods (each method's own options are flags named --<method>-<option>):
${METHODS.map((m) => `  ${(m.pattern ?? m.name).padEnd(16)} ${m.summary}`).join('\n')}`);

addCompareCommand(program);
addDiagnoseCommand(program);

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
).action(namingFlags(TRAIN_ONLY_FLAGS, async (flags) => {
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
}));

program
  .command('report')
  .description("(re)build DIR/report.html from what 'gblend compare --out DIR' wrote: per-head loss curves, overfitting, weights, OGR estimates")
  .argument('<dir>', 'folder written by gblend compare --out')
  .action(async (dir: string) => {
    process.stdout.write(`Wrote ${await writeHtmlReport(dir)}\n`);
  });

addTableCommand(program);
addWorkerCommand(program);
addQueueCommand(program);

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
