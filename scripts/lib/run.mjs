// @ts-check
import { spawn } from 'node:child_process';
import { ROOT } from './paths.mjs';

/**
 * Runs a command to completion with inherited output; rejects with the command line on failure.
 * @param {string} cmd @param {string[]} args
 * @param {{ cwd?: string, env?: NodeJS.ProcessEnv, quiet?: boolean }} [opts]
 */
export function run(cmd, args, opts = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      cwd: opts.cwd ?? ROOT,
      env: opts.env ?? process.env,
      stdio: opts.quiet ? ['ignore', 'pipe', 'pipe'] : 'inherit',
    });
    let output = '';
    child.stdout?.on('data', (d) => (output += d));
    child.stderr?.on('data', (d) => (output += d));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code === 0) resolve(undefined);
      else {
        const tail = output ? `\n${output.slice(-4000)}` : '';
        reject(new Error(`${cmd} ${args.join(' ')} failed (${signal ?? `exit ${code}`})${tail}`));
      }
    });
  });
}
