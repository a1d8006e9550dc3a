/** `gblend diagnose`: which modality overfits first, and whether naive fusion is at risk, from a short run. */
import type { Command } from 'commander';
import { diagnose } from '../api/diagnose.js';
import { parseTrainConfig } from '../config/load.js';
import { finiteOrNull } from '../report/run-log.js';
import { formatDiagnosis } from '../report/diagnosis-table.js';
import { writeFileAtomic } from '../io/atomic.js';
import { checkOutputFile } from '../io/output-check.js';
import { fileAndFlags, namingFlags, originOf } from './command-options.js';
import { addTrainFlags, TRAIN_ONLY_FLAGS } from './options.js';
import { progressText, stderrPrinter } from './progress.js';

const DIAGNOSE_ONLY_FLAGS = TRAIN_ONLY_FLAGS.filter((s) => s.path === 'seed');

export function addDiagnoseCommand(program: Command): void {
  addTrainFlags(
    program
      .command('diagnose')
      .description(
        'before a full run: estimate each head\'s overfitting-to-generalization ratio (OGR) from the initial model and ' +
          'after --warmup-epochs of joint training (each estimate trains a copy per head for --super-epoch-epochs), and say which ' +
          'modality overfits first and whether naive fusion is at risk',
      )
      .option('--config <file>', 'YAML or JSON file of options; flags override it')
      .option('--seed <n>', 'seed for splits, initialisation and shuffling (default: 0)')
      .option('--out <file>', "also write the diagnosis as JSON; as DIR/diagnosis.json beside a comparison's results, 'gblend report DIR' shows it")
      .option('--quiet', 'print only the result'),
    // No training method or length: diagnose trains every head for the warm-up only.
    ['epochs', 'method'],
  ).action(namingFlags(DIAGNOSE_ONLY_FLAGS, async (flags) => {
    const options = await fileAndFlags(flags, DIAGNOSE_ONLY_FLAGS, parseTrainConfig);
    parseTrainConfig(options, originOf(flags));
    const out = typeof flags.out === 'string' ? flags.out : null;
    if (out !== null) await checkOutputFile(out, 'the diagnosis');
    const printer = stderrPrinter(flags.quiet === true);
    // Estimate copies on the status line only (TTY); the warm-up's epochs also as lines in a log.
    const result = await diagnose(options, {}, (p) => (p.phase === 'estimate' ? printer.status(progressText('', p)) : printer.progress(`warm-up ${progressText('', p)}`)));
    printer.status('');
    process.stdout.write(`${formatDiagnosis(result)}\n`);
    if (out !== null) {
      await writeFileAtomic(out, `${JSON.stringify(result, finiteOrNull, 2)}\n`, 'the diagnosis');
      printer.line(`Wrote ${out}`);
    }
  }));
}
