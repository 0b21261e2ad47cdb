import { chmod, mkdtemp, rm, stat } from 'node:fs/promises';
import { createServer, Server } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { EmbeddedPostgresError, startEmbeddedPostgres } from '../src/database/embedded-postgres';
import { AppProcess } from './support/app-process';
import { freePort } from './support/free-port';

/**
 * Issue 7, the first run: the embedded PostgreSQL starts as root from a folder the `postgres`
 * user cannot read (a home of mode 0700, a `mktemp -d` folder), and every start-up failure is one
 * line naming what to fix, never an unhandled error or a bare stack.
 */
describe('start-up', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  });

  it('starts the embedded PostgreSQL from a checkout others cannot read, and keeps its data between starts', async () => {
    const checkout = await mkdtemp(join(tmpdir(), 'seminarhub-private-checkout-'));
    cleanups.push(() => rm(checkout, { recursive: true, force: true }));
    expect((await stat(checkout)).mode & 0o077).toBe(0); // mkdtemp: readable by its owner only
    const notices: string[] = [];
    const start = async () =>
      startEmbeddedPostgres(join(checkout, '.data', 'postgres'), await freePort(), 'seminarhub', {
        notice: (line) => notices.push(line),
      });

    const first = await start();
    const elsewhere = /keeps its data in (\S+) instead/.exec(notices.join('\n'))?.[1];
    if (elsewhere) cleanups.push(() => rm(join(elsewhere, '..'), { recursive: true, force: true }));
    const client = new Client({ connectionString: first.url });
    await client.connect();
    await client.query('CREATE TABLE kept (n int)');
    await client.end();
    await first.stop();

    const second = await start();
    const again = new Client({ connectionString: second.url });
    await again.connect();
    expect((await again.query(`SELECT to_regclass('kept') IS NOT NULL AS kept`)).rows[0].kept).toBe(true);
    await again.end();
    await second.stop();
    // As root PostgreSQL runs as the postgres user, who cannot enter the checkout: the data lives where it can.
    if (userInfo().uid === 0) expect(elsewhere).toMatch(/^\/var\/lib\/seminarhub\/seminarhub-private-checkout-/);
    else expect(elsewhere).toBeUndefined();
  });

  it('says which port is taken instead of crashing', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', () => resolve()));
    cleanups.push(() => new Promise((resolve) => blocker.close(resolve)));
    const port = (blocker.address() as { port: number }).port;
    const dir = await mkdtemp(join(tmpdir(), 'seminarhub-port-taken-'));
    await chmod(dir, 0o755); // reachable by the postgres user, so nothing is kept elsewhere
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const started = startEmbeddedPostgres(join(dir, 'pg'), port, 'seminarhub');
    await expect(started).rejects.toThrow(EmbeddedPostgresError);
    await expect(started).rejects.toThrow(`port ${port} is taken (set EMBEDDED_PG_PORT to another)`);
  });

  it('stops with one line naming DATABASE_URL and the address tried when the database cannot be reached', async () => {
    const app = new AppProcess({
      ROLE: 'api',
      PORT: '0',
      DATABASE_URL: 'postgres://seminar:secret@127.0.0.1:1/nowhere',
      ADMIN_TOKEN: 'a-token-of-sixteen-or-more',
    }).start();
    await app.waitForOutput('cannot use the database');
    await expect(app.waitForExit()).resolves.toBe(1); // by itself: a SIGTERM here would race the exit it makes
    expect(app.output).toContain('cannot use the database at DATABASE_URL (postgres://seminar:***@127.0.0.1:1/nowhere): nothing answers there');
    expect(app.output).not.toContain('secret');
    expect(app.output).not.toMatch(/^\s+at /m); // no stack
  });
});
