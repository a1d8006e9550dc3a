/**
 * The README is a test: its Quick start and command-line commands, run in order in a fresh clone,
 * as a newcomer would type them (install and the main job, the tests, then every `npx gblend`
 * example). Commands marked (long run) run with --epochs 2 --seeds 1; those marked (your own files)
 * are skipped. Not part of `npm test` (it runs `npm test` itself): `npm run test:readme`.
 *
 * The clone is of HEAD: commit first. The team's shared data folder is linked beside the clone as
 * it is beside this repository, so the nested `npm test` sees what ours sees.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { firstBlock, readmeCommands, shortened } from './readme-commands.js';
import { failure, REPO_ROOT, sh } from './shell.js';

const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
const commands = readmeCommands(readme);

/** Files the README's examples name that the README itself defines. */
const README_FILES: Record<string, () => string> = {
  // "my-config.yaml: for example the YAML under Configuration" (README, The command line).
  'my-config.yaml': () => firstBlock(readme, 'Configuration', 'yaml'),
};

/** What the README says a command leaves behind, beyond its exit code. */
function expectedOutputs(command: string): string[] {
  // "npm start ... writes runs/avdigits/report.html" (README, Quick start).
  if (/\bnpm start\b/.test(command)) return ['runs/avdigits/results.json', 'runs/avdigits/report.html'];
  const out = /--out\s+(\S+)/.exec(command);
  return out ? [out[1]!] : [];
}

const base = mkdtempSync(join(tmpdir(), 'gblend-readme-'));
const clone = join(base, 'gblend');
let broken: string | null = null;

after(() => {
  // Kept on failure, to look at.
  if (broken === null) rmSync(base, { recursive: true, force: true });
  else process.stderr.write(`README test: the clone is kept in ${clone}\n`);
});

describe('README commands, in order, in a fresh clone', () => {
  test('fresh clone of HEAD', (t) => {
    execFileSync('git', ['clone', '--quiet', REPO_ROOT, clone]);
    const head = execFileSync('git', ['-C', clone, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    t.diagnostic(`clone of ${head} in ${clone}`);
    const shared = join(REPO_ROOT, '..', 'shared');
    if (existsSync(shared)) symlinkSync(realpathSync(shared), join(base, 'shared'));
    else t.diagnostic('no ../shared beside the repository: the nested npm test skips the shared-data tests');
    for (const [name, content] of Object.entries(README_FILES)) {
      if (commands.some((c) => c.command.includes(name))) writeFileSync(join(clone, name), content());
    }
  });

  for (const c of commands) {
    const command = c.action === 'shorten' ? shortened(c.command) : c.command;
    const title = `README:${c.line} ${command}`;
    if (c.action === 'skip') {
      test(title, { skip: `names the user's own files (README says so)` }, () => {});
      continue;
    }
    test(title, (t) => {
      if (broken !== null) {
        t.skip(`an earlier command failed: ${broken}`);
        return;
      }
      const r = sh(command, clone);
      if (r.status !== 0) broken = command;
      assert.equal(r.status, 0, failure(command, clone, r));
      t.diagnostic(`${r.seconds.toFixed(0)} s`);
      for (const path of expectedOutputs(command)) {
        if (!existsSync(join(clone, path))) broken = command;
        assert.ok(existsSync(join(clone, path)), `'${command}' exited 0 but did not write ${path}`);
      }
    });
  }
});
