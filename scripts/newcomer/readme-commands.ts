/**
 * Reads the shell commands a newcomer types out of README.md, so that the README test runs the
 * document itself and the two cannot drift apart. Pure: text in, commands out.
 *
 * A command is a line of a ```sh block in one of the named sections. The comment lines just above
 * it (and a trailing `# ...`) are its comment, and two marks in that comment tell the test what to do:
 * - `(long run)`: run it with `--epochs 2 --seeds 1` (see `shortened`);
 * - `(your own files)`: it names files only the user has, so the test skips it.
 */

export type CommandAction = 'run' | 'shorten' | 'skip';

export interface ReadmeCommand {
  /** 1-based line in the README. */
  line: number;
  section: string;
  command: string;
  comment: string;
  action: CommandAction;
}

export const README_TEST_SECTIONS = ['Quick start', 'The command line'];

export const LONG_RUN_MARK = '(long run)';
export const OWN_FILES_MARK = '(your own files)';

/** The lines of one `## title` section (up to the next `## `), with their 1-based line numbers. */
function sectionLines(markdown: string, title: string): { text: string; line: number }[] {
  const lines = markdown.split('\n');
  const start = lines.findIndex((l) => l.trim() === `## ${title}`);
  if (start < 0) throw new Error(`README has no section '## ${title}'`);
  const out: { text: string; line: number }[] = [];
  for (let i = start + 1; i < lines.length && !lines[i]!.startsWith('## '); i++) out.push({ text: lines[i]!, line: i + 1 });
  return out;
}

/** The contents of the fenced blocks of one language in a section, each as numbered lines. */
function fencedBlocks(markdown: string, title: string, lang: string): { text: string; line: number }[][] {
  const blocks: { text: string; line: number }[][] = [];
  let current: { text: string; line: number }[] | null = null;
  let inOtherBlock = false;
  for (const l of sectionLines(markdown, title)) {
    const fence = /^\s*```\s*(\S*)\s*$/.exec(l.text);
    if (fence) {
      if (current) {
        blocks.push(current);
        current = null;
      } else if (inOtherBlock) {
        inOtherBlock = false;
      } else if (fence[1] === lang) {
        current = [];
      } else {
        inOtherBlock = true;
      }
      continue;
    }
    current?.push(l);
  }
  if (current) throw new Error(`README section '${title}': a \`\`\`${lang} block is not closed`);
  return blocks;
}

function actionOf(comment: string): CommandAction {
  const long = comment.includes(LONG_RUN_MARK);
  const own = comment.includes(OWN_FILES_MARK);
  if (long && own) throw new Error(`a README command is marked both ${LONG_RUN_MARK} and ${OWN_FILES_MARK}`);
  return own ? 'skip' : long ? 'shorten' : 'run';
}

/** Every command of the named sections, in document order. */
export function readmeCommands(markdown: string, sections: string[] = README_TEST_SECTIONS): ReadmeCommand[] {
  const commands: ReadmeCommand[] = [];
  for (const section of sections) {
    const before = commands.length;
    for (const block of fencedBlocks(markdown, section, 'sh')) {
      let pending: string[] = [];
      for (const { text, line } of block) {
        const trimmed = text.trim();
        if (trimmed === '') {
          pending = [];
        } else if (trimmed.startsWith('#')) {
          pending.push(trimmed.replace(/^#\s?/, ''));
        } else {
          // Commands in the README hold no '#' of their own, so ' #' starts a trailing comment.
          const hash = trimmed.search(/\s#(\s|$)/);
          const command = (hash < 0 ? trimmed : trimmed.slice(0, hash)).trim();
          const trailing = hash < 0 ? '' : trimmed.slice(hash).trim().replace(/^#\s?/, '');
          const comment = [...pending, trailing].filter(Boolean).join(' ');
          commands.push({ line, section, command, comment, action: actionOf(comment) });
          pending = [];
        }
      }
    }
    if (commands.length === before) throw new Error(`README section '${section}' has no \`\`\`sh command`);
  }
  return commands;
}

/** A long run made short: every `--epochs N` becomes 2 and `--seeds N` 1; one of them must be there. */
export function shortened(command: string): string {
  if (!/--(epochs|seeds)\s+\d+/.test(command)) {
    throw new Error(`'${command}' is marked ${LONG_RUN_MARK} but has no --epochs or --seeds to shorten`);
  }
  return command.replace(/--epochs\s+\d+/g, '--epochs 2').replace(/--seeds\s+\d+/g, '--seeds 1');
}

/** The first fenced block of a language in a section, as text (e.g. the Configuration YAML). */
export function firstBlock(markdown: string, section: string, lang: string): string {
  const block = fencedBlocks(markdown, section, lang)[0];
  if (!block) throw new Error(`README section '${section}' has no \`\`\`${lang} block`);
  return block.map((l) => l.text).join('\n') + '\n';
}
