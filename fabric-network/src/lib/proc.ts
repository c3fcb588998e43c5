/** Running commands and managing the network's long-running processes. */
import { spawn, type SpawnOptions } from 'node:child_process';
import fs from 'node:fs';

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Called with every complete output line (stdout and stderr), e.g. for progress. */
  onLine?: (line: string) => void;
  /** Data written to the command's stdin. */
  input?: string;
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion and returns its output (never throws for a non-zero exit). */
export function runCapture(cmd: string, args: string[], opts: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const lineBuf = { out: '', err: '' };
    const feed = (which: 'out' | 'err', chunk: string) => {
      if (!opts.onLine) return;
      lineBuf[which] += chunk;
      const lines = lineBuf[which].split('\n');
      lineBuf[which] = lines.pop() ?? '';
      for (const l of lines) opts.onLine(l);
    };
    child.stdout.setEncoding('utf8').on('data', (c: string) => { stdout += c; feed('out', c); });
    child.stderr.setEncoding('utf8').on('data', (c: string) => { stderr += c; feed('err', c); });
    child.on('error', reject);
    child.on('close', (code) => {
      if (opts.onLine) for (const rest of [lineBuf.out, lineBuf.err]) if (rest) opts.onLine(rest);
      resolve({ code: code ?? -1, stdout, stderr });
    });
    child.stdin.end(opts.input ?? '');
  });
}

/** Runs a command and throws with its output when it fails. */
export async function run(cmd: string, args: string[], opts: RunOptions = {}): Promise<RunResult> {
  const r = await runCapture(cmd, args, opts);
  if (r.code !== 0) {
    const out = `${r.stdout}\n${r.stderr}`.trim().split('\n').slice(-40).join('\n');
    throw new Error(`command failed (exit ${r.code}): ${cmd} ${args.join(' ')}\n${out}`);
  }
  return r;
}

/** One long-running process of the network, as recorded in the state folder. */
export interface ManagedProcess {
  name: string;
  pid: number;
  command: string;
  args: string[];
  log: string;
}

/** Starts a detached long-running process whose output goes to a log file. */
export function startDetached(name: string, command: string, args: string[], logFile: string, options: SpawnOptions): ManagedProcess {
  const fd = fs.openSync(logFile, 'a');
  const child = spawn(command, args, { ...options, detached: true, stdio: ['ignore', fd, fd] });
  fs.closeSync(fd);
  if (child.pid === undefined) throw new Error(`could not start ${name} (${command})`);
  child.unref();
  return { name, pid: child.pid, command, args, log: logFile };
}

/** Whether a process id is alive and still runs the recorded command (guards against pid reuse). */
export function isRunning(p: Pick<ManagedProcess, 'pid' | 'command'>): boolean {
  try {
    process.kill(p.pid, 0);
  } catch {
    return false;
  }
  try {
    const cmdline = fs.readFileSync(`/proc/${p.pid}/cmdline`, 'utf8').split('\0');
    const stat = fs.readFileSync(`/proc/${p.pid}/stat`, 'utf8');
    // A zombie (state Z) has exited already.
    if (/^\d+ \(.*\) Z/.test(stat)) return false;
    return cmdline.some((part) => part === p.command || part.endsWith(`/${p.command.split('/').pop() ?? ''}`));
  } catch {
    return false;
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Stops one recorded process by id: SIGTERM, then SIGKILL after a grace period. */
export async function stopProcess(p: ManagedProcess, graceMs = 10_000): Promise<'stopped' | 'not-running'> {
  if (!isRunning(p)) return 'not-running';
  process.kill(p.pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!isRunning(p)) return 'stopped';
    await sleep(100);
  }
  if (isRunning(p)) process.kill(p.pid, 'SIGKILL');
  while (isRunning(p)) await sleep(50);
  return 'stopped';
}

/** Polls until `check` returns a value (not undefined) or the time runs out. */
export async function waitFor<T>(what: string, timeoutMs: number, check: () => Promise<T | undefined>, intervalMs = 500): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined) return v;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() > deadline) {
      const why = lastError instanceof Error ? `: ${lastError.message}` : '';
      throw new Error(`timed out after ${Math.round(timeoutMs / 1000)}s waiting for ${what}${why}`);
    }
    await sleep(intervalMs);
  }
}
