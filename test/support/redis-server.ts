import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { freePort } from './free-port';
import { waitUntil } from './mailbox';

/**
 * A redis-server of the test's own, on a free port and in a temporary folder, that the test may
 * stop and start again: the machine's Redis is shared by the other suites and is never restarted.
 * It needs `redis-server` on PATH whether or not REDIS_URL is set (Debian: `apt-get install
 * redis-server`; .ci/run has it); without it the suite fails saying so, it does not skip.
 */
export class RedisServer {
  private child: ChildProcess | undefined;
  private constructor(
    readonly port: number,
    private readonly dir: string,
  ) {}

  static async start(): Promise<RedisServer> {
    if (spawnSync('redis-server', ['--version']).error) {
      throw new Error('this suite starts its own redis-server and none is on PATH: install it (Debian: apt-get install -y redis-server)');
    }
    const server = new RedisServer(await freePort(), await mkdtemp(join(tmpdir(), 'seminarhub-redis-')));
    await server.run();
    return server;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts the server, with AOF (appendfsync always) as production runs it, so a restart keeps every acknowledged write. */
  async run(): Promise<void> {
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir, '--save', '', '--appendonly', 'yes'];
    this.child = spawn('redis-server', [...args, '--appendfsync', 'always', '--maxmemory-policy', 'noeviction'], { stdio: 'ignore' });
    await waitUntil(() => this.ping(), `redis-server on port ${this.port}`, 10_000);
  }

  /** SIGTERM, as a restart by an orchestrator does; resolves once the process is gone. */
  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  }

  async remove(): Promise<void> {
    await this.stop();
    await rm(this.dir, { recursive: true, force: true });
  }

  private async ping(): Promise<boolean> {
    const redis = new Redis(this.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    try {
      await redis.connect();
      return (await redis.ping()) === 'PONG';
    } catch {
      return false;
    } finally {
      redis.disconnect();
    }
  }
}
