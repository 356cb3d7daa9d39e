// The built server (dist/main.js) in a process of its own, as `npm start` runs it: start it with an
// environment, wait until /readyz answers 200, stop it with a signal. Used by the CLI/server tests and the
// fault suite (SIGKILL mid-work, several instances on one database).
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { freePort } from '../../src/db/embeddedPostgres';

export const PROJECT_ROOT = path.resolve(__dirname, '../..');

export interface AppProcess {
  proc: ChildProcess;
  port: number;
  url: string;
  /** stdout and stderr so far */
  output(): string;
  /** resolves with the exit code (null when a signal ended it) */
  exited: Promise<number | null>;
  /** send `signal` and wait for the process to end; resolves with its exit code */
  kill(signal?: NodeJS.Signals): Promise<number | null>;
}

export interface AppProcessOptions {
  /** default: a free port */
  port?: number;
  /** default 30 s */
  readyTimeoutMs?: number;
  /** start from this environment instead of the test process's own */
  baseEnv?: NodeJS.ProcessEnv;
  /** the server script; default this checkout's dist/main.js */
  main?: string;
}

/** Start dist/main.js with `env` (over the test process's environment) and wait for /readyz 200. */
export async function startAppProcess(env: Record<string, string>, opts: AppProcessOptions = {}): Promise<AppProcess> {
  const port = opts.port ?? (await freePort());
  let out = '';
  const proc = spawn(process.execPath, [opts.main ?? path.join(PROJECT_ROOT, 'dist/main.js')], {
    env: { ...(opts.baseEnv ?? process.env), HOST: '127.0.0.1', ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const app: AppProcess = {
    proc,
    port,
    url,
    output: () => out,
    exited,
    async kill(signal = 'SIGTERM') {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
      return exited;
    },
  };
  const until = Date.now() + (opts.readyTimeoutMs ?? 30_000);
  while (Date.now() < until) {
    if (proc.exitCode !== null) throw new Error(`server exited ${proc.exitCode}: ${out}`);
    const ready = await fetch(`${url}/readyz`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ready) return app;
    await new Promise((r) => setTimeout(r, 100));
  }
  await app.kill('SIGKILL');
  throw new Error(`not ready within ${opts.readyTimeoutMs ?? 30_000} ms: ${out}`);
}

export interface CommandResult {
  status: number | null;
  stdout: string;
  stderr: string;
  /** stdout's non-empty lines */
  lines: string[];
}

/** Run a command and collect its output. Not spawnSync: a fake server the command talks to may answer from this very process. */
export function runCommand(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  timeoutMs = 60_000,
  cwd?: string,
): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr, lines: stdout.split('\n').filter(Boolean) });
    });
  });
}

/** `aftershock <args>` (bin/aftershock.js) with `env` over the test process's environment. */
export function runCli(args: string[], env: Record<string, string>): Promise<CommandResult> {
  return runCommand(process.execPath, [path.join(PROJECT_ROOT, 'bin/aftershock.js'), ...args], { ...process.env, ...env });
}
