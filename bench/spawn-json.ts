/** Runs a child process whose last stdout line is JSON; its stderr is passed through (progress). */
import { spawn } from 'node:child_process';

export interface ChildOutput {
  json: unknown;
  /** Everything the child wrote on stderr (also passed through to ours). */
  stderr: string;
}

export function runJsonChild(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<ChildOutput> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      err += d;
      process.stderr.write(d);
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const last = out.trim().split('\n').pop() ?? '';
      try {
        if (code !== 0) throw new Error(`exited with ${signal ?? code}`);
        resolve({ json: JSON.parse(last), stderr: err });
      } catch (e) {
        const tail = err.trim().split('\n').slice(-3).join(' | ');
        reject(new Error(`${cmd} ${args[0] ?? ''}: ${e instanceof Error ? e.message : String(e)}${tail ? ` (${tail})` : ''}`));
      }
    });
  });
}
