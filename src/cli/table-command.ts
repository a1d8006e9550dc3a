/** `gblend table DIR...`: one table across comparisons, a row per folder, in Markdown. */
import type { Command } from 'commander';
import { comparisonTable } from '../api/table.js';
import { ConfigError } from '../config/load.js';

export function addTableCommand(program: Command): void {
  program
    .command('table')
    .description(
      "one Markdown table across comparisons, a row per folder written by 'gblend compare --out': test top-1 per method, " +
        'mean ± std over seeds, with the paired difference to naive fusion and its p (the paper\'s Tables 1, 2 and 5); ' +
        'or the estimated weights (Table 4), or G-Blend against naive fusion from the same snapshots (Figure 5b)',
    )
    .argument('<dirs...>', 'folders written by gblend compare --out')
    .option('--methods <list>', `columns, in order; 'best-uni' is the strongest uni-modal method of each row (default: best-uni, then every other method found)`)
    .option('--time', "add each method's mean wall time per run over naive's (× naive)")
    .option('--transpose', 'a row per method and a column per folder (as the paper\'s Table 5)')
    .option('--weights <method>', "instead: the first estimate's weights per head (mean ± std over seeds) and mean OGR of this method, e.g. gblend-offline")
    .option('--snapshot <method>', 'instead: how often the method\'s fused head was ahead of naive fusion trained from the same snapshot, at the end of each estimate (e.g. gblend-online)')
    .addHelpText('after', [
      '',
      'Examples:',
      '  gblend table runs/av runs/av-500 --methods best-uni,naive,aux,gblend-offline,gblend-online',
      '  gblend table runs/av runs/av-500 --weights gblend-offline',
      '  gblend table runs/av --snapshot gblend-online',
    ].join('\n'))
    .action(async (dirs: string[], flags: { methods?: string; time?: boolean; transpose?: boolean; weights?: string; snapshot?: string }) => {
      if (flags.weights !== undefined && flags.snapshot !== undefined) {
        throw new ConfigError('command line', 'weights', '--weights and --snapshot each make their own table: give one of them');
      }
      const methods = flags.methods?.split(',').map((m) => m.trim()).filter((m) => m !== '');
      if (methods?.length === 0) throw new ConfigError('command line', 'methods', '--methods: names no method');
      process.stdout.write(`${await comparisonTable(dirs, {
        ...(methods ? { methods } : {}),
        ...(flags.time ? { time: true } : {}),
        ...(flags.transpose ? { transpose: true } : {}),
        ...(flags.weights !== undefined ? { weights: flags.weights } : {}),
        ...(flags.snapshot !== undefined ? { snapshot: flags.snapshot } : {}),
      })}\n`);
    });
}
