import { ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { waitUntil } from './mailbox';

/**
 * The app as a real OS process (src/main.ts through ts-node), to test the entry roles,
 * SIGTERM and a worker that dies: things an in-process Nest app cannot show.
 */
export class AppProcess {
  private child: ChildProcess | undefined;
  output = '';
  exitCode: number | null | undefined;

  constructor(private readonly env: Record<string, string | undefined>) {}

  start(): this {
    this.child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', resolve(__dirname, '..', '..', 'src', 'main.ts')], {
      env: { ...process.env, NODE_ENV: 'test', ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout!.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.child.stderr!.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.child.on('exit', (code, signal) => (this.exitCode = code ?? (signal ? -1 : null)));
    return this;
  }

  /** The last lines of the process's output, for failure messages. */
  tail(lines = 40): string {
    return this.output.split('\n').slice(-lines).join('\n');
  }

  async waitForOutput(text: string, timeoutMs = 60_000): Promise<void> {
    await waitUntil(() => this.output.includes(text) || this.exitCode !== undefined, `"${text}" in the output of ${this.env.ROLE}`, timeoutMs);
    if (!this.output.includes(text)) throw new Error(`process ${this.env.ROLE} exited (${this.exitCode}) before printing "${text}":\n${this.output}`);
  }

  /** Waits for the process to end by itself; returns its exit code. */
  async waitForExit(timeoutMs = 30_000): Promise<number | null> {
    await waitUntil(() => this.exitCode !== undefined, `${this.env.ROLE} to exit`, timeoutMs);
    return this.exitCode ?? null;
  }

  /** Sends the signal and waits for the exit; returns the exit code (-1 when killed by a signal). */
  async stop(signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 30_000): Promise<number | null> {
    if (!this.child || this.exitCode !== undefined) return this.exitCode ?? null;
    this.child.kill(signal);
    await waitUntil(() => this.exitCode !== undefined, `${this.env.ROLE} to exit after ${signal}`, timeoutMs);
    return this.exitCode ?? null;
  }
}
