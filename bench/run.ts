/**
 * Seminar Hub benchmarks: `npm run bench`.
 *
 * For each queue backend (PostgreSQL always, Redis when REDIS_URL is set) it starts the real app
 * with test/support/test-app.ts on a fresh database and measures
 *   1. invitation fan-out: CSV import of 1,000 members, POST invitations, time until the SMTP
 *      server has accepted all 1,000 mails, peak RSS and heap (sampled every 100 ms);
 *   2. registration rush: 500 concurrent public registrations against one event;
 *   3. reads: 2,000 GET /events/:id and 2,000 GET /api/events at concurrency 50;
 * prints one table per backend and writes the figures to bench/results/latest.json.
 * Without DATABASE_URL it starts an embedded PostgreSQL as test/support/global-setup.ts does.
 * See bench/README.md.
 */
import { ChildProcess, execFileSync, fork } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client as PgClient } from 'pg';
import { PostgresQueryRunner } from 'typeorm/driver/postgres/PostgresQueryRunner';
import { EmbeddedPostgresHandle, startEmbeddedPostgres } from '../src/database/embedded-postgres';
import { client } from '../test/support/http';
import { assertPostgresReachable, assertRedisReachable } from '../test/support/services';
import { QueueBackend, startTestApp, TestApp } from '../test/support/test-app';
import type { LoadCommand, LoadRequest, LoadResult } from './load-generator';
import { SmtpSink } from './smtp-sink';
import { bareHttpServer, bareMailLoop, BareRate, bareRegistrationLoop } from './baselines';
import { MailComposer } from '../src/notifications/mail/mail-composer.service';
import { OutboxService } from '../src/notifications/outbox/outbox.service';

// ---------------------------------------------------------------------------------------------
// Settings (the planned sizes; the environment may make them smaller or larger within bounds).

// BENCH_SIZE=quick: a run of a minute or two to try a change; the figures of record use the defaults.
const QUICK = process.env.BENCH_SIZE === 'quick';
/** The fan-out: this many members, all invited. */
const MEMBERS = intEnv('BENCH_MEMBERS', QUICK ? 1000 : 10_000, 1, 20_000);
/** The first this many of them are imported in one timed CSV import; the rest before the fan-out, untimed. */
const IMPORT = Math.min(MEMBERS, intEnv('BENCH_IMPORT', QUICK ? 500 : 5000, 1, 20_000));
const REGISTRATIONS = intEnv('BENCH_REGISTRATIONS', QUICK ? 200 : 500, 1, 5_000);
const RUSH_CONNECTIONS = intEnv('BENCH_RUSH_CONNECTIONS', 100, 1, 500);
const RUSH_SECONDS = intEnv('BENCH_RUSH_SECONDS', QUICK ? 5 : 30, 1, 300);
const READS = intEnv('BENCH_READS', QUICK ? 500 : 2000, 1, 50_000);
const READ_CONCURRENCY = intEnv('BENCH_READ_CONCURRENCY', 100, 1, 500);
const FEED_EVENTS = intEnv('BENCH_FEED_EVENTS', QUICK ? 100 : 1000, 1, 5000);
const FEED_FETCHES = 10;
/** The SMTP pool and the worker concurrency of the fan-out, and the connections of its bare baseline. */
const MAIL_CONNECTIONS = intEnv('WORKER_CONCURRENCY', 20, 1, 100);
/** The app's database pool (src/database/data-source-options.ts), also the bare rush baseline's. */
const APP_DB_POOL = 20;
const READ_WARMUP = 50;
const SAMPLE_EVERY_MS = 100;
/** The longest any single wait (mail delivery, a load run) may take before the run gives up. */
const PHASE_TIMEOUT_MS = intEnv('BENCH_PHASE_TIMEOUT_MS', 180_000, 5_000, 900_000);
/** The whole run, all backends: past this the watchdog stops everything and exits 1. */
const RUN_TIMEOUT_MS = intEnv('BENCH_TIMEOUT_MS', 20 * 60_000, 60_000, 3_600_000);
const REQUEST_TIMEOUT_MS = 30_000;
/** How long each backend may wait for the machine to be quiet (< 20% busy) before it starts anyway. */
const QUIET_WAIT_MS = intEnv('BENCH_QUIET_WAIT_MS', 60_000, 0, 600_000);
const CLUSTERS = ['ICT', 'IMT', 'DC', 'GREEN_IT'] as const;
const RESULTS_FILE = join(__dirname, 'results', 'latest.json');

function intEnv(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) throw new Error(`${name} must be a whole number from ${min} to ${max} (got ${raw})`);
  return value;
}

// ---------------------------------------------------------------------------------------------
// Measuring tools.

interface MemoryPeak {
  startRssMb: number;
  peakRssMb: number;
  peakHeapUsedMb: number;
  peakHeapTotalMb: number;
  /** Memory outside the V8 heap (Buffers: MIME parts, sockets, pg results) at its peak. */
  peakExternalMb: number;
  /** When RSS peaked, from the start of the phase: tells a peak of the request (the 202) from one of the sending. */
  peakRssAtMs: number;
  samples: number;
}

/** Samples process.memoryUsage() every 100 ms; `begin()`…`end()` gives the peaks over one phase. */
class MemorySampler {
  private timer: NodeJS.Timeout | undefined;
  private current:
    | {
        start: NodeJS.MemoryUsage;
        t0: number;
        peakRss: number;
        peakRssAt: number;
        peakHeapUsed: number;
        peakHeapTotal: number;
        peakExternal: number;
        samples: number;
      }
    | undefined;

  start(): void {
    this.timer = setInterval(() => this.sample(), SAMPLE_EVERY_MS);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  begin(): void {
    const now = process.memoryUsage();
    const t0 = performance.now();
    this.current = {
      start: now,
      t0,
      peakRss: now.rss,
      peakRssAt: t0,
      peakHeapUsed: now.heapUsed,
      peakHeapTotal: now.heapTotal,
      peakExternal: now.external,
      samples: 1,
    };
  }

  end(): MemoryPeak {
    this.sample();
    const c = this.current!;
    this.current = undefined;
    return {
      startRssMb: mb(c.start.rss),
      peakRssMb: mb(c.peakRss),
      peakHeapUsedMb: mb(c.peakHeapUsed),
      peakHeapTotalMb: mb(c.peakHeapTotal),
      peakExternalMb: mb(c.peakExternal),
      peakRssAtMs: Math.round(c.peakRssAt - c.t0),
      samples: c.samples,
    };
  }

  private sample(): void {
    if (!this.current) return;
    const m = process.memoryUsage();
    if (m.rss > this.current.peakRss) {
      this.current.peakRss = m.rss;
      this.current.peakRssAt = performance.now();
    }
    this.current.peakExternal = Math.max(this.current.peakExternal, m.external);
    this.current.peakHeapUsed = Math.max(this.current.peakHeapUsed, m.heapUsed);
    this.current.peakHeapTotal = Math.max(this.current.peakHeapTotal, m.heapTotal);
    this.current.samples++;
  }
}

/**
 * Counts database round trips made by this process: `app` through TypeORM (the app's own
 * queries, transaction statements included), `all` through any pg client (TypeORM, BullMQ's
 * PostgreSQL backend, and the bench's own checks, which are made outside the measured phases).
 */
const queryCount = { app: 0, all: 0 };
function countQueries(): void {
  const wrap = (prototype: { query: (...args: unknown[]) => unknown }, count: () => void) => {
    const original = prototype.query;
    prototype.query = function (this: unknown, ...args: unknown[]) {
      count();
      return original.apply(this, args);
    };
  };
  wrap(PostgresQueryRunner.prototype as unknown as { query: (...args: unknown[]) => unknown }, () => queryCount.app++);
  wrap(PgClient.prototype, () => queryCount.all++);
}

interface PhaseFigures {
  wallMs: number;
  /** CPU time of this process (app + SMTP sink), user + system. */
  cpuMs: number;
  /** That CPU time as a share of one core over the phase's wall time. */
  cpuPercentOfOneCore: number;
  /** How busy the whole machine was (all cores, all processes: app, PostgreSQL, Redis, load generator). */
  machineCpuBusyPercent: number;
  /** Heap still used after a full GC at the end of the phase: what the phase left behind. */
  heapAfterGcMb: number | null;
  dbQueries: { app: number; all: number };
  memory: MemoryPeak;
}

/** Wall time, CPU time of this process (the app), database round trips and memory peaks of one phase. */
async function phase<T>(memory: MemorySampler, body: () => Promise<T>): Promise<{ value: T } & PhaseFigures> {
  memory.begin();
  const cpu = process.cpuUsage();
  const machine = machineCpuTimes();
  const queries = { ...queryCount };
  const t0 = performance.now();
  const value = await body();
  const wallMs = performance.now() - t0;
  const used = process.cpuUsage(cpu);
  const machineAfter = machineCpuTimes();
  const dbQueries = { app: queryCount.app - queries.app, all: queryCount.all - queries.all };
  const peaks = memory.end();
  const cpuMs = (used.user + used.system) / 1000;
  // Run with --expose-gc (bench/run.ts forks each backend so); measured after the phase's figures.
  const gc = (globalThis as { gc?: () => void }).gc;
  let heapAfterGcMb: number | null = null;
  if (gc) {
    gc();
    heapAfterGcMb = mb(process.memoryUsage().heapUsed);
  }
  return {
    value,
    wallMs: round(wallMs),
    cpuMs: round(cpuMs),
    cpuPercentOfOneCore: Math.round((cpuMs / wallMs) * 100),
    machineCpuBusyPercent: Math.round((1 - (machineAfter.idle - machine.idle) / Math.max(1, machineAfter.total - machine.total)) * 100),
    heapAfterGcMb,
    dbQueries,
    memory: peaks,
  };
}

function machineCpuTimes(): { idle: number; total: number } {
  let idle = 0;
  let total = 0;
  for (const cpu of os.cpus()) {
    idle += cpu.times.idle;
    total += cpu.times.user + cpu.times.nice + cpu.times.sys + cpu.times.idle + cpu.times.irq;
  }
  return { idle, total };
}

function figures(p: PhaseFigures): PhaseFigures {
  const { wallMs, cpuMs, cpuPercentOfOneCore, machineCpuBusyPercent, heapAfterGcMb, dbQueries, memory } = p;
  return { wallMs, cpuMs, cpuPercentOfOneCore, machineCpuBusyPercent, heapAfterGcMb, dbQueries, memory };
}

interface LatencySummary {
  requests: number;
  answered: number;
  non2xx: number;
  errors: number;
  statuses: Record<string, number>;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  meanMs: number;
  wallMs: number;
  perSecond: number;
  loadGeneratorCpuMs: number;
  problems: string[];
}

function summarize(result: LoadResult, requests: number): LatencySummary {
  const sorted = [...result.latenciesMs].sort((a, b) => a - b);
  const pct = (p: number) => (sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]);
  let non2xx = 0;
  for (const [status, n] of Object.entries(result.statuses)) if (status !== 'error' && (Number(status) < 200 || Number(status) >= 300)) non2xx += n;
  return {
    requests,
    answered: sorted.length,
    non2xx,
    errors: (result.statuses.error ?? 0) + result.notStarted,
    statuses: result.statuses,
    p50Ms: round(pct(50)),
    p95Ms: round(pct(95)),
    p99Ms: round(pct(99)),
    maxMs: round(sorted[sorted.length - 1] ?? NaN),
    meanMs: round(sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length)),
    wallMs: round(result.wallMs),
    perSecond: round((sorted.length / result.wallMs) * 1000),
    loadGeneratorCpuMs: round(result.cpuMs),
    problems: result.problems,
  };
}

/** The load generator child process (bench/load-generator.ts), driven over IPC. */
class LoadClient {
  private readonly pending = new Map<number, { resolve: (r: LoadResult) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>();
  private nextId = 1;

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (message: LoadResult | { id: number; error: string }) => {
      const waiting = this.pending.get(message.id);
      if (!waiting) return;
      this.pending.delete(message.id);
      clearTimeout(waiting.timer);
      if ('error' in message) waiting.reject(new Error(`load generator: ${message.error}`));
      else waiting.resolve(message);
    });
    child.on('exit', (code) => {
      for (const waiting of this.pending.values()) {
        clearTimeout(waiting.timer);
        waiting.reject(new Error(`load generator exited (${code})`));
      }
      this.pending.clear();
    });
  }

  static start(): LoadClient {
    // From compiled JavaScript (BENCH_COMPILED) the load generator is compiled too.
    const child = fork(join(__dirname, COMPILED ? 'load-generator.js' : 'load-generator.ts'), [], {
      execArgv: COMPILED ? [] : ['-r', require.resolve('ts-node/register/transpile-only')],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    return new LoadClient(child);
  }

  run(baseUrl: string, requests: LoadRequest[], concurrency: number, durationMs?: number): Promise<LoadResult> {
    const id = this.nextId++;
    const command: LoadCommand = { id, baseUrl, requests, concurrency, requestTimeoutMs: REQUEST_TIMEOUT_MS, deadlineMs: PHASE_TIMEOUT_MS, durationMs };
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => {
          this.pending.delete(id);
          reject(new Error(`load run ${id} gave no result within ${PHASE_TIMEOUT_MS + REQUEST_TIMEOUT_MS + 10_000} ms`));
        },
        PHASE_TIMEOUT_MS + REQUEST_TIMEOUT_MS + 10_000,
      );
      this.pending.set(id, { resolve, reject, timer });
      this.child.send(command);
    });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    if (this.child.connected) this.child.send({ stop: true });
    const timeout = sleep(5000).then(() => 'timeout' as const);
    if ((await Promise.race([exited, timeout])) === 'timeout') {
      this.child.kill('SIGKILL'); // our own child, by its handle
      await exited;
    }
  }
}

/** Polls `condition` every 20 ms until it holds or `timeoutMs` passes; returns whether it held. */
async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return true;
    await sleep(20);
  }
  return condition();
}

// ---------------------------------------------------------------------------------------------
// The benchmarks.

interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

/**
 * test-app.ts turns the public rate limits off. Production has them on, so by default the bench
 * keeps the limiter in the path (its guard and, with REDIS_URL, its Redis counter on every public
 * request) with limits high enough never to refuse the bench's own requests from 127.0.0.1.
 * BENCH_RATE_LIMIT=off measures without the limiter, as the e2e tests run.
 */
function rateLimitEnv(): Record<string, string> {
  if (process.env.BENCH_RATE_LIMIT === 'off') return {};
  return { RATE_LIMIT_PUBLIC_WRITES_PER_MINUTE: '1000000', RATE_LIMIT_PUBLIC_READS_PER_MINUTE: '1000000' };
}

interface BackendResult {
  queue: QueueBackend;
  /** Busy share of all cores over the 2 s before the app started (other processes on the machine). */
  machineBusyBeforePercent: number;
  /** Whether the public rate limiter was in the request path (at limits the bench never reaches). */
  rateLimiter: 'on' | 'off';
  workerConcurrency: number;
  startupMs: number;
  /** The process before the app's modules load: Node and ts-node (see bench/memory-baseline.ts). */
  /** The app ran as compiled JavaScript (BENCH_COMPILED=1), not through ts-node. */
  compiled: boolean;
  baselineRssMb: number;
  baselineHeapUsedMb: number;
  idleRssMb: number;
  idleHeapUsedMb: number;
  import: { members: number; httpMs: number; created: number; rejected: number; phase: PhaseFigures };
  /** A pooled nodemailer loop sending the app's own composed invitation, over as many connections. */
  fanoutBare: BareRate;
  fanoutRatio: number | null;
  /** 100 connections kept busy with registrations for RUSH_SECONDS, and the same transaction by hand with pg. */
  sustainedRush: LatencySummary & { bare: BareRate; ratio: number; duplicates: number; phase: PhaseFigures };
  feed: { events: number; createMs: number; firstMs: number; p50Ms: number; maxMs: number; bytes: number };
  fanout: {
    invitations: number;
    queuedHttpMs: number;
    queued: number;
    firstMailMs: number | null;
    allAcceptedMs: number | null;
    accepted: number;
    distinctRecipients: number;
    mailsPerSecond: number | null;
    averageMailKb: number;
    outboxStatus: Record<string, number>;
    phase: PhaseFigures;
  };
  /** The phase runs from the first request until every opt-in mail is accepted. */
  rush: LatencySummary & { registrationsStored: number; optInAccepted: number; optInAllAcceptedMs: number | null; phase: PhaseFigures };
  reads: {
    eventPage: LatencySummary & { phase: PhaseFigures; bare: LatencySummary; ratio: number };
    apiEvents: LatencySummary & { phase: PhaseFigures; eventsListed: number; bare: LatencySummary; ratio: number };
  };
  checks: Check[];
}

function membersCsv(count: number): string {
  const lines = ['email,name,company,cluster,locale'];
  for (let i = 1; i <= count; i++) {
    // 100 companies of ~10 members; a company's members share its cluster; a third read English.
    const company = i % 100;
    const n = String(i).padStart(5, '0');
    lines.push(`member${n}@company${company}.bench.example,Member ${n},Company ${company},${CLUSTERS[company % 4]},${i % 3 === 0 ? 'en' : 'ko'}`);
  }
  return lines.join('\n');
}

function eventBody(title: string) {
  // 60 days ahead, two hours, hosted by ICT and DC, open to all four clusters (the default audience).
  const startsAt = new Date(Date.now() + 60 * 86_400_000);
  startsAt.setUTCHours(5, 0, 0, 0);
  const endsAt = new Date(startsAt.getTime() + 2 * 3_600_000);
  return {
    title,
    description: 'Benchmark event',
    type: 'seminar',
    startsAt: startsAt.toISOString(),
    endsAt: endsAt.toISOString(),
    venue: '판교 글로벌R&D센터 세미나실 A',
    hostClusters: ['ICT', 'DC'],
  };
}

async function createPublishedEvent(api: ReturnType<typeof client>, title: string): Promise<string> {
  const created = await api.post('/api/events', eventBody(title));
  if (created.status !== 201) throw new Error(`POST /api/events answered ${created.status}: ${created.text.slice(0, 300)}`);
  const published = await api.post(`/api/events/${created.body.id}/publish`);
  if (published.status !== 200) throw new Error(`POST /api/events/:id/publish answered ${published.status}: ${published.text.slice(0, 300)}`);
  return created.body.id as string;
}

async function benchBackend(queue: QueueBackend, load: LoadClient, memory: MemorySampler, cleanups: (() => Promise<void>)[]): Promise<BackendResult> {
  const checks: Check[] = [];
  const check = (name: string, ok: boolean, detail: string) => checks.push({ name, ok, detail });

  // Other work on the machine (a test run, a build) skews every figure: wait, bounded, for it to
  // calm down, and record how busy it was.
  let machineBusyBeforePercent = 100;
  const quietDeadline = Date.now() + QUIET_WAIT_MS;
  do {
    const quiet0 = machineCpuTimes();
    await sleep(2000);
    const quiet1 = machineCpuTimes();
    machineBusyBeforePercent = Math.round((1 - (quiet1.idle - quiet0.idle) / Math.max(1, quiet1.total - quiet0.total)) * 100);
  } while (machineBusyBeforePercent > 20 && Date.now() < quietDeadline);
  if (machineBusyBeforePercent > 20)
    log(queue, `WARNING: the machine was ${machineBusyBeforePercent}% busy before the run (other processes): figures will be low`);

  const sink = await new SmtpSink().start();
  cleanups.push(() => sink.stop());
  // The pool and the worker both at MAIL_CONNECTIONS: each in-flight job has a connection of its own.
  const env: Record<string, string> = {
    SMTP_URL: `${sink.url}?maxConnections=${MAIL_CONNECTIONS}`,
    WORKER_CONCURRENCY: String(MAIL_CONNECTIONS),
    ...rateLimitEnv(),
  };

  const startT0 = performance.now();
  const t: TestApp = await startTestApp({ queue, env });
  const startupMs = performance.now() - startT0;
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await t.close();
  };
  cleanups.push(close);
  try {
    const api = client(t.url, t.adminToken);
    await sleep(500); // let the relay's and worker's first polls settle before measuring idle memory
    const idle = process.memoryUsage();
    const baseline = (globalThis as { benchMemoryBaseline?: NodeJS.MemoryUsage }).benchMemoryBaseline;
    log(queue, `app up at ${t.url} in ${Math.round(startupMs)} ms; worker concurrency ${t.config.queue.workerConcurrency}`);

    // 1. Invitation fan-out ---------------------------------------------------------------
    const allRows = membersCsv(MEMBERS).split('\n');
    const csv = allRows.slice(0, IMPORT + 1).join('\n');
    const imported = await phase(memory, async () => {
      const t0 = performance.now();
      const answer = await api.post('/api/members/import', csv, { contentType: 'text/csv' });
      return { answer, httpMs: performance.now() - t0 };
    });
    const importBody = imported.value.answer.body as { created?: number; rejected?: unknown[] };
    check(
      'import answers 200 and creates every member',
      imported.value.answer.status === 200 && importBody.created === IMPORT,
      `status ${imported.value.answer.status}, created ${importBody.created}`,
    );
    log(queue, `imported ${importBody.created} members in ${Math.round(imported.value.httpMs)} ms`);
    // The rest of the fan-out's audience, untimed, in imports of the same size.
    for (let start = IMPORT + 1; start < allRows.length; start += IMPORT) {
      const more = await api.post('/api/members/import', [allRows[0], ...allRows.slice(start, start + IMPORT)].join('\n'), { contentType: 'text/csv' });
      if (more.status !== 200) throw new Error(`member import answered ${more.status}: ${more.text.slice(0, 300)}`);
    }

    const fanoutEvent = await createPublishedEvent(api, 'AI × 콘텐츠 융합 세미나 (bench fan-out)');
    sink.reset();
    const fanout = await phase(memory, async () => {
      const t0 = performance.now();
      const answer = await api.post(`/api/events/${fanoutEvent}/invitations`, {});
      const queuedHttpMs = performance.now() - t0;
      const delivered = await waitFor(() => sink.count >= MEMBERS, PHASE_TIMEOUT_MS);
      const last = delivered ? sink.acceptedTime(MEMBERS)! : undefined;
      const first = sink.acceptedTime(1);
      return {
        answer,
        queuedHttpMs,
        t0,
        delivered,
        allAcceptedMs: last === undefined ? null : last - t0,
        firstMailMs: first === undefined ? null : first - t0,
      };
    });
    const f = fanout.value;
    // The worker marks a row sent right after the SMTP server's 250; give it a moment.
    let outboxStatus: Record<string, number> = {};
    await waitFor(async () => {
      const rows = await t.db.query(`SELECT status, count(*)::int AS n FROM outbox WHERE event_id = $1 GROUP BY status`, [fanoutEvent]);
      outboxStatus = Object.fromEntries(rows.rows.map((r: { status: string; n: number }) => [r.status, r.n]));
      return outboxStatus.sent === MEMBERS;
    }, 10_000);
    check(
      'invitations answer 202 with every member queued',
      f.answer.status === 202 && f.answer.body?.queued === MEMBERS,
      `status ${f.answer.status}, body ${f.answer.text.slice(0, 100)}`,
    );
    check(
      `all ${MEMBERS} invitations accepted by SMTP, one per member`,
      f.delivered && sink.distinctRecipients === MEMBERS,
      `${sink.count} accepted, ${sink.distinctRecipients} distinct recipients`,
    );
    check('every invitation row marked sent', outboxStatus.sent === MEMBERS, JSON.stringify(outboxStatus));
    const fanoutResult: BackendResult['fanout'] = {
      invitations: MEMBERS,
      queuedHttpMs: round(f.queuedHttpMs),
      queued: f.answer.body?.queued ?? 0,
      firstMailMs: f.firstMailMs === null ? null : round(f.firstMailMs),
      allAcceptedMs: f.allAcceptedMs === null ? null : round(f.allAcceptedMs),
      accepted: sink.count,
      distinctRecipients: sink.distinctRecipients,
      mailsPerSecond: f.allAcceptedMs === null ? null : round((MEMBERS / f.allAcceptedMs) * 1000),
      averageMailKb: round(sink.totalBytes / Math.max(1, sink.count) / 1024),
      outboxStatus,
      phase: figures(fanout),
    };
    log(
      queue,
      `fan-out: queued in ${fanoutResult.queuedHttpMs} ms, all accepted after ${fanoutResult.allAcceptedMs} ms (${fanoutResult.mailsPerSecond} mails/s)`,
    );
    // The bare baseline sends the very message the app composed for one of these rows.
    const sampleRowId = (await t.db.query(`SELECT id FROM outbox WHERE event_id = $1 ORDER BY id LIMIT 1`, [fanoutEvent])).rows[0].id as string;
    const sampleMessage = await t.app.get(MailComposer).compose((await t.app.get(OutboxService).findRow(sampleRowId))!);
    sink.reset();
    const fanoutBare = await bareMailLoop(sink.url, sampleMessage, MEMBERS, MAIL_CONNECTIONS);
    check('bare mail loop: every message accepted', fanoutBare.errors === 0 && sink.count === MEMBERS, `${sink.count} accepted, ${fanoutBare.errors} errors`);
    const fanoutRatio = fanoutResult.mailsPerSecond === null ? null : round2(fanoutResult.mailsPerSecond / fanoutBare.perSecond);
    log(queue, `fan-out bare baseline: ${fanoutBare.perSecond} mails/s; ratio ${fanoutRatio}`);

    // 2. Registration rush ----------------------------------------------------------------
    const rushEvent = await createPublishedEvent(api, 'Registration rush (bench)');
    sink.reset();
    const registrations: LoadRequest[] = Array.from({ length: REGISTRATIONS }, (_, i) => ({
      method: 'POST',
      path: `/api/events/${rushEvent}/registrations`,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: `guest${String(i + 1).padStart(5, '0')}@rush.bench.example`, name: `Guest ${i + 1}`, company: 'Outside Co' }),
    }));
    const rush = await phase(memory, async () => {
      const t0 = performance.now();
      const result = await load.run(t.url, registrations, REGISTRATIONS);
      const delivered = await waitFor(() => sink.count >= REGISTRATIONS, PHASE_TIMEOUT_MS);
      return { result, optInAllAcceptedMs: delivered ? sink.acceptedTime(REGISTRATIONS)! - t0 : null };
    });
    const stored = (await t.db.query(`SELECT count(*)::int AS n FROM registrations WHERE event_id = $1`, [rushEvent])).rows[0].n as number;
    const rushSummary = summarize(rush.value.result, REGISTRATIONS);
    check(
      'registration rush: every request answered 2xx',
      rushSummary.non2xx === 0 && rushSummary.errors === 0 && rushSummary.answered === REGISTRATIONS,
      `${rushSummary.answered} answered, ${rushSummary.non2xx} non-2xx, ${rushSummary.errors} errors ${rushSummary.problems.join(' | ')}`,
    );
    check('registration rush: one registration stored per email', stored === REGISTRATIONS, `${stored} stored`);
    check('registration rush: every opt-in mail accepted', rush.value.optInAllAcceptedMs !== null, `${sink.count} accepted`);
    const rushResult: BackendResult['rush'] = {
      ...rushSummary,
      registrationsStored: stored,
      optInAccepted: sink.count,
      optInAllAcceptedMs: rush.value.optInAllAcceptedMs === null ? null : round(rush.value.optInAllAcceptedMs),
      phase: figures(rush),
    };
    log(
      queue,
      `rush: p50 ${rushResult.p50Ms} / p95 ${rushResult.p95Ms} / p99 ${rushResult.p99Ms} ms, ${rushResult.perSecond} req/s, ${rushResult.non2xx} non-2xx`,
    );

    // 2b. Sustained rush: RUSH_CONNECTIONS connections for RUSH_SECONDS, then the bare transaction as long.
    const sustainedEvent = await createPublishedEvent(api, 'Sustained registration rush (bench)');
    const sustainedRequest: LoadRequest = {
      method: 'POST',
      path: `/api/events/${sustainedEvent}/registrations`,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'guest{n}@sustained.bench.example', name: 'Guest {n}', company: 'Outside Co' }),
    };
    const sustained = await phase(memory, () => load.run(t.url, [sustainedRequest], RUSH_CONNECTIONS, RUSH_SECONDS * 1000));
    const sustainedSummary = summarize(sustained.value, sustained.value.started);
    const duplicates = (
      await t.db.query(`SELECT count(*)::int - count(DISTINCT lower(email))::int AS n FROM registrations WHERE event_id = $1`, [sustainedEvent])
    ).rows[0].n as number;
    const sustainedStored = (await t.db.query(`SELECT count(*)::int AS n FROM registrations WHERE event_id = $1`, [sustainedEvent])).rows[0].n as number;
    // The opt-in mails of the sustained rush are sent before the bare loop starts: sent during it,
    // they would take CPU from it (and count in its CPU, measured in this same process).
    await waitFor(async () => (await t.app.get(OutboxService).backlog()).pending === 0, PHASE_TIMEOUT_MS);
    const bareRushEvent = await createPublishedEvent(api, 'Bare registration baseline (bench)');
    const rushBare = await bareRegistrationLoop(t.databaseUrl, bareRushEvent, RUSH_CONNECTIONS, APP_DB_POOL, RUSH_SECONDS * 1000);
    check(
      'sustained rush: every request answered 2xx, each stored once',
      sustainedSummary.non2xx === 0 && sustainedSummary.errors === 0 && sustainedStored === sustainedSummary.answered && duplicates === 0,
      `${sustainedSummary.answered} answered, ${sustainedSummary.non2xx} non-2xx, ${sustainedSummary.errors} errors, ${sustainedStored} stored, ${duplicates} duplicates ${sustainedSummary.problems.join(' | ')}`,
    );
    check('bare registration loop: no errors', rushBare.errors === 0, `${rushBare.errors} errors`);
    const sustainedRush: BackendResult['sustainedRush'] = {
      ...sustainedSummary,
      bare: rushBare,
      ratio: round2(sustainedSummary.perSecond / rushBare.perSecond),
      duplicates,
      phase: figures(sustained),
    };
    log(queue, `sustained rush: ${sustainedRush.perSecond} req/s p99 ${sustainedRush.p99Ms} ms; bare ${rushBare.perSecond}/s; ratio ${sustainedRush.ratio}`);

    // 3. Reads ----------------------------------------------------------------------------
    const readRun = async (path: string) => {
      const requests: LoadRequest[] = Array.from({ length: READS }, () => ({ method: 'GET', path }));
      await load.run(t.url, requests.slice(0, READ_WARMUP), READ_CONCURRENCY); // warm-up, not counted
      const measured = await phase(memory, () => load.run(t.url, requests, READ_CONCURRENCY));
      // The same bytes from a bare node:http server, under the same load.
      const sample = await fetch(`${t.url}${path}`);
      const bareServer = await bareHttpServer({
        status: sample.status,
        contentType: sample.headers.get('content-type') ?? 'application/octet-stream',
        body: Buffer.from(await sample.arrayBuffer()),
      });
      await load.run(bareServer.url, requests.slice(0, READ_WARMUP), READ_CONCURRENCY);
      const bare = summarize(await load.run(bareServer.url, requests, READ_CONCURRENCY), READS);
      await bareServer.close();
      const app = summarize(measured.value, READS);
      return { ...app, phase: figures(measured), bare, ratio: round2(app.perSecond / bare.perSecond) };
    };
    const eventPage = await readRun(`/events/${fanoutEvent}`);
    const listed = await api.get('/api/events');
    const apiEvents = { ...(await readRun('/api/events')), eventsListed: Array.isArray(listed.body) ? listed.body.length : -1 };
    for (const [name, s] of [
      ['GET /events/:id', eventPage],
      ['GET /api/events', apiEvents],
    ] as const) {
      check(
        `${name}: every request answered 2xx`,
        s.non2xx === 0 && s.errors === 0 && s.answered === READS,
        `${s.answered} answered, ${s.non2xx} non-2xx, ${s.errors} errors ${s.problems.join(' | ')}`,
      );
    }
    log(queue, `reads: page p50 ${eventPage.p50Ms} ms ${eventPage.perSecond} req/s; api p50 ${apiEvents.p50Ms} ms ${apiEvents.perSecond} req/s`);

    // 4. Cluster feed with FEED_EVENTS events -----------------------------------------------
    const auth = { authorization: `Bearer ${t.adminToken}`, 'content-type': 'application/json' };
    const feedT0 = performance.now();
    const creates = Array.from({ length: FEED_EVENTS }, (_, i): LoadRequest => ({
      method: 'POST',
      path: '/api/events',
      headers: auth,
      body: JSON.stringify(eventBody(`Feed event ${i + 1}`)),
    }));
    await load.run(t.url, creates, 10);
    const drafts = (await t.db.query(`SELECT id FROM events WHERE status = 'draft'`)).rows as { id: string }[];
    await load.run(
      t.url,
      drafts.map((row): LoadRequest => ({ method: 'POST', path: `/api/events/${row.id}/publish`, headers: auth })),
      10,
    );
    const feedCreateMs = performance.now() - feedT0;
    const feedTimes: number[] = [];
    let feedBytes = 0;
    for (let i = 0; i < FEED_FETCHES; i++) {
      const f0 = performance.now();
      const answer = await fetch(`${t.url}/api/clusters/ICT/calendar.ics`);
      feedBytes = (await answer.arrayBuffer()).byteLength;
      feedTimes.push(performance.now() - f0);
      if (answer.status !== 200) check('cluster feed answers 200', false, `status ${answer.status}`);
    }
    const sortedFeed = [...feedTimes].sort((a, b) => a - b);
    const feed = {
      events: FEED_EVENTS,
      createMs: round(feedCreateMs),
      firstMs: round(feedTimes[0]),
      p50Ms: round(sortedFeed[Math.ceil(sortedFeed.length / 2) - 1]),
      maxMs: round(sortedFeed[sortedFeed.length - 1]),
      bytes: feedBytes,
    };
    log(queue, `cluster feed of ${FEED_EVENTS}+ events: first ${feed.firstMs} ms, p50 ${feed.p50Ms} ms, ${feedBytes} bytes`);

    return {
      queue,
      machineBusyBeforePercent,
      rateLimiter: process.env.BENCH_RATE_LIMIT === 'off' ? 'off' : 'on',
      workerConcurrency: t.config.queue.workerConcurrency,
      startupMs: round(startupMs),
      compiled: COMPILED,
      baselineRssMb: mb(baseline?.rss ?? NaN),
      baselineHeapUsedMb: mb(baseline?.heapUsed ?? NaN),
      idleRssMb: mb(idle.rss),
      idleHeapUsedMb: mb(idle.heapUsed),
      import: {
        members: IMPORT,
        httpMs: round(imported.value.httpMs),
        created: importBody.created ?? 0,
        rejected: importBody.rejected?.length ?? 0,
        phase: figures(imported),
      },
      fanout: fanoutResult,
      fanoutBare,
      fanoutRatio,
      rush: rushResult,
      sustainedRush,
      feed,
      reads: { eventPage, apiEvents },
      checks,
    };
  } finally {
    await close();
    await sink.stop();
  }
}

// ---------------------------------------------------------------------------------------------
// Output.

function table(r: BackendResult): string {
  const perUnit = (p: PhaseFigures, units: number) =>
    `${fmt(p.dbQueries.app / units, 1)} app${r.queue === 'postgres' ? `, ${fmt(p.dbQueries.all / units, 1)} incl. BullMQ` : ''}`;
  const mem = (p: PhaseFigures) => `${fmt(p.memory.peakRssMb)} MB / ${fmt(p.memory.peakHeapUsedMb)} MB  (heap after GC ${fmt(p.heapAfterGcMb ?? NaN)} MB)`;
  const cpu = (p: PhaseFigures) => `app ${p.cpuPercentOfOneCore}% of one core, machine ${p.machineCpuBusyPercent}% busy`;
  const page = r.reads.eventPage;
  const list = r.reads.apiEvents;
  const rows: [string, string][] = [
    ['app start (fresh database, migrations)', `${fmt(r.startupMs)} ms`],
    [`RSS / heap used: Node ${r.compiled ? '' : '+ ts-node '}alone`, `${fmt(r.baselineRssMb)} MB / ${fmt(r.baselineHeapUsedMb)} MB`],
    ['RSS / heap used: app started, idle', `${fmt(r.idleRssMb)} MB / ${fmt(r.idleHeapUsedMb)} MB`],
    [
      `member import, ${fmt(r.import.members)} rows CSV (HTTP answer)`,
      `${fmt(r.import.httpMs)} ms  (${fmt(r.import.created)} created, ${r.import.rejected} rejected)`,
    ],
    ['  DB round trips per row', perUnit(r.import.phase, r.import.members)],
    ['  peak RSS / heap used', mem(r.import.phase)],
    [`invitations to ${fmt(r.fanout.invitations)}: time to queue (HTTP answer)`, `${fmt(r.fanout.queuedHttpMs)} ms  (queued ${fmt(r.fanout.queued)})`],
    ['  first mail accepted by SMTP', r.fanout.firstMailMs === null ? 'none' : `${fmt(r.fanout.firstMailMs)} ms`],
    [
      `  all ${fmt(r.fanout.invitations)} accepted by SMTP`,
      r.fanout.allAcceptedMs === null ? `NOT REACHED (${r.fanout.accepted} accepted)` : `${fmt(r.fanout.allAcceptedMs / 1000, 2)} s`,
    ],
    ['  delivery rate', r.fanout.mailsPerSecond === null ? '-' : `${fmt(r.fanout.mailsPerSecond)} mails/s  (avg ${fmt(r.fanout.averageMailKb)} KB/mail)`],
    [
      '  peak RSS / heap used / heap total',
      `${fmt(r.fanout.phase.memory.peakRssMb)} / ${fmt(r.fanout.phase.memory.peakHeapUsedMb)} / ${fmt(r.fanout.phase.memory.peakHeapTotalMb)} MB  (RSS at start ${fmt(r.fanout.phase.memory.startRssMb)} MB; RSS peaked ${fmt((r.fanout.phase.memory.peakRssAtMs ?? NaN) / 1000, 1)} s in; external ${fmt(r.fanout.phase.memory.peakExternalMb ?? NaN)} MB)`,
    ],
    ['  heap after GC', `${fmt(r.fanout.phase.heapAfterGcMb ?? NaN)} MB`],
    [
      '  CPU',
      `app ${fmt(r.fanout.phase.cpuMs / 1000, 2)} s = ${fmt(r.fanout.phase.cpuMs / r.fanout.invitations, 1)} ms per mail, ${r.fanout.phase.cpuPercentOfOneCore}% of one core; machine ${r.fanout.phase.machineCpuBusyPercent}% busy`,
    ],
    ['  DB round trips per mail', perUnit(r.fanout.phase, r.fanout.invitations)],
    [
      `registration rush, ${fmt(r.rush.requests)} concurrent: p50 / p95 / p99`,
      `${fmt(r.rush.p50Ms)} / ${fmt(r.rush.p95Ms)} / ${fmt(r.rush.p99Ms)} ms  (max ${fmt(r.rush.maxMs)})`,
    ],
    ['  non-2xx / no answer', `${r.rush.non2xx} / ${r.rush.errors}`],
    ['  throughput', `${fmt(r.rush.perSecond)} req/s  (${fmt(r.rush.wallMs)} ms for all)`],
    [
      '  opt-in mails all accepted',
      r.rush.optInAllAcceptedMs === null ? `NOT REACHED (${r.rush.optInAccepted})` : `${fmt(r.rush.optInAllAcceptedMs / 1000, 2)} s after the first request`,
    ],
    ['  DB round trips per registration + its mail', perUnit(r.rush.phase, r.rush.requests)],
    ['  CPU (until the last opt-in mail)', `${fmt(r.rush.phase.cpuMs / r.rush.requests, 1)} ms per registration + mail; ${cpu(r.rush.phase)}`],
    ['  peak RSS / heap used', mem(r.rush.phase)],
    [`GET /events/:id ×${fmt(page.requests)} (c=${READ_CONCURRENCY}): p50 / p95`, `${fmt(page.p50Ms)} / ${fmt(page.p95Ms)} ms  (p99 ${fmt(page.p99Ms)})`],
    ['  throughput, non-2xx', `${fmt(page.perSecond)} req/s, ${page.non2xx + page.errors}`],
    [
      '  CPU',
      `${fmt(page.phase.cpuMs / page.requests, 2)} ms per request; ${cpu(page.phase)}; load generator ${Math.round((page.loadGeneratorCpuMs / page.wallMs) * 100)}% of one core`,
    ],
    ['  DB round trips per request', perUnit(page.phase, page.requests)],
    [`GET /api/events ×${fmt(list.requests)} (c=${READ_CONCURRENCY}): p50 / p95`, `${fmt(list.p50Ms)} / ${fmt(list.p95Ms)} ms  (p99 ${fmt(list.p99Ms)})`],
    ['  throughput, non-2xx', `${fmt(list.perSecond)} req/s, ${list.non2xx + list.errors}  (${list.eventsListed} events listed)`],
    [
      '  CPU',
      `${fmt(list.phase.cpuMs / list.requests, 2)} ms per request; ${cpu(list.phase)}; load generator ${Math.round((list.loadGeneratorCpuMs / list.wallMs) * 100)}% of one core`,
    ],
    ['  DB round trips per request', perUnit(list.phase, list.requests)],
    [
      '  peak RSS / heap used (both reads)',
      mem({
        ...list.phase,
        memory: {
          ...list.phase.memory,
          peakRssMb: Math.max(page.phase.memory.peakRssMb, list.phase.memory.peakRssMb),
          peakHeapUsedMb: Math.max(page.phase.memory.peakHeapUsedMb, list.phase.memory.peakHeapUsedMb),
        },
      }),
    ],
  ];
  const ratio = (value: number | null, target: number) =>
    value === null ? '-' : `${fmt(value, 2)} (target ≥ ${target}${value >= target ? ', met' : ', MISSED'})`;
  const sr = r.sustainedRush;
  rows.push(
    ['── against the bare baselines (same run) ──', ''],
    [
      `fan-out ${fmt(r.fanout.invitations)}: app / bare pooled nodemailer`,
      `${fmt(r.fanout.mailsPerSecond ?? NaN)} / ${fmt(r.fanoutBare.perSecond)} mails/s = ${ratio(r.fanoutRatio, 0.8)}`,
    ],
    [
      '  bare loop CPU per mail',
      `${fmt(r.fanoutBare.cpuMs / Math.max(1, r.fanoutBare.count), 2)} ms (app ${fmt(r.fanout.phase.cpuMs / r.fanout.invitations, 2)} ms)`,
    ],
    [
      '  peak RSS of the app + worker process',
      `${fmt(r.fanout.phase.memory.peakRssMb)} MB (target ≤ 300${r.fanout.phase.memory.peakRssMb <= 300 ? ', met' : ', MISSED'}; ${r.compiled ? 'compiled JavaScript, Node' : 'ts-node'} alone ${fmt(r.baselineRssMb)} MB)`,
    ],
    [
      `rush, ${sr.requests} over ${RUSH_CONNECTIONS} conns for ${RUSH_SECONDS} s: app / bare pg`,
      `${fmt(sr.perSecond)} / ${fmt(sr.bare.perSecond)} per s = ${ratio(sr.ratio, 0.5)}`,
    ],
    [
      '  CPU per registration: app / bare pg',
      `${fmt(sr.phase.cpuMs / Math.max(1, sr.answered), 2)} / ${fmt(sr.bare.cpuMs / Math.max(1, sr.bare.count), 2)} ms (app: with the opt-in mails sent within the ${RUSH_SECONDS} s)`,
    ],
    ['  DB round trips per registration: app / bare pg', `${perUnit(sr.phase, Math.max(1, sr.answered))} / 5 (with the opt-in mails sent within the phase)`],
    [
      '  p50 / p99, errors, duplicates',
      `${fmt(sr.p50Ms)} / ${fmt(sr.p99Ms)} ms (p99 target ≤ 100${sr.p99Ms <= 100 ? ', met' : ', MISSED'}), ${sr.non2xx + sr.errors}, ${sr.duplicates}`,
    ],
    [
      `GET /events/:id c=${READ_CONCURRENCY}: app / bare node:http`,
      `${fmt(page.perSecond)} / ${fmt(page.bare.perSecond)} req/s = ${ratio(page.ratio, 0.3)}; p99 ${fmt(page.p99Ms)} ms (≤ 50${page.p99Ms <= 50 ? ', met' : ', MISSED'}; bare ${fmt(page.bare.p99Ms)})`,
    ],
    [
      `GET /api/events c=${READ_CONCURRENCY}: app / bare node:http`,
      `${fmt(list.perSecond)} / ${fmt(list.bare.perSecond)} req/s = ${ratio(list.ratio, 0.3)}; p99 ${fmt(list.p99Ms)} ms (≤ 50${list.p99Ms <= 50 ? ', met' : ', MISSED'}; bare ${fmt(list.bare.p99Ms)})`,
    ],
    [
      `cluster feed, ${fmt(r.feed.events)} more events`,
      `created and published in ${fmt(r.feed.createMs / 1000, 1)} s; GET first ${fmt(r.feed.firstMs)} ms, p50 of ${FEED_FETCHES} ${fmt(r.feed.p50Ms)} ms (${fmt(r.feed.bytes / 1024)} KB)`,
    ],
    [`member import, ${fmt(r.import.members)} rows`, `${fmt(r.import.httpMs)} ms`],
  );
  const width = Math.max(...rows.map(([label]) => label.length));
  const line = `${'-'.repeat(width + 2)}+${'-'.repeat(64)}`;
  const title =
    `queue backend: ${r.queue === 'postgres' ? 'BullMQ on PostgreSQL' : 'BullMQ on Redis'} (worker concurrency ${r.workerConcurrency}, ` +
    `rate limiter ${r.rateLimiter}; machine ${r.machineBusyBeforePercent}% busy before the run${r.machineBusyBeforePercent > 20 ? ' — OTHER LOAD, figures are low' : ''})`;
  const failed = r.checks.filter((c) => !c.ok);
  return [
    '',
    title,
    line,
    ...rows.map(([label, value]) => ` ${label.padEnd(width)} | ${value}`),
    line,
    failed.length === 0 ? ` checks: all ${r.checks.length} passed` : failed.map((c) => ` CHECK FAILED: ${c.name}: ${c.detail}`).join('\n'),
  ].join('\n');
}

function fmt(value: number, digits = 0): string {
  return Number.isFinite(value) ? value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : '-';
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

function mb(bytes: number): number {
  return Math.round((bytes / 1024 / 1024) * 10) / 10;
}

function log(queue: string, message: string): void {
  console.log(`[bench ${queue}] ${message}`);
}

// ---------------------------------------------------------------------------------------------
// Main. The parent prepares the services and runs each backend in its own child process (this
// same file with BENCH_BACKEND set), so that each backend's memory figures start from a fresh
// process; the child sends its figures back over IPC.

const TS_NODE = ['-r', require.resolve('ts-node/register/transpile-only')];
/** This process runs compiled JavaScript: a backend child of a BENCH_COMPILED=1 run. */
const COMPILED = __filename.endsWith('.js');

async function runOneBackend(queue: QueueBackend): Promise<BackendResult> {
  countQueries();
  const cleanups: (() => Promise<void>)[] = [];
  const load = LoadClient.start();
  cleanups.push(() => load.stop());
  const memory = new MemorySampler();
  memory.start();
  cleanups.push(async () => memory.stop());
  try {
    return await benchBackend(queue, load, memory, cleanups);
  } finally {
    for (const cleanup of cleanups.reverse().splice(0)) await cleanup().catch((error: Error) => console.error(`cleanup: ${error.message}`));
  }
}

/**
 * BENCH_COMPILED=1: the app, the test support and the bench compiled to JavaScript in a temporary
 * folder (tsc, as `nest build` does for production), so the backend's process runs what
 * production runs, without ts-node and the TypeScript compiler in its memory. Returns the folder.
 */
async function compileBench(): Promise<string> {
  const root = join(__dirname, '..');
  const dir = await mkdtemp(join(os.tmpdir(), 'seminarhub-bench-js-'));
  const t0 = performance.now();
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', join(root, 'tsconfig.json'), '--outDir', dir, '--sourceMap', 'false'], {
    stdio: 'inherit',
  });
  // Found beside the code (templates through the config's default, modules by Node's lookup).
  await symlink(join(root, 'templates'), join(dir, 'templates'));
  await symlink(join(root, 'node_modules'), join(dir, 'node_modules'));
  console.log(`bench: compiled to ${dir} in ${Math.round(performance.now() - t0)} ms; the backends run compiled JavaScript`);
  return dir;
}

function runBackendInChild(queue: QueueBackend, compiledDir: string | undefined): Promise<BackendResult> {
  const script = compiledDir ? join(compiledDir, 'bench', 'run.js') : __filename;
  const preload = compiledDir ? ['-r', join(compiledDir, 'bench', 'memory-baseline.js')] : [...TS_NODE, '-r', join(__dirname, 'memory-baseline.ts')];
  // BENCH_NODE_FLAGS: more flags for the backend's process only, e.g. --max-old-space-size=256 or --trace-gc.
  const execArgv = ['--expose-gc', ...preload, ...(process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean)];
  // BENCH_CPU_PROF=<dir>: a V8 CPU profile of the backend's process (open it in Chrome DevTools or speedscope).
  if (process.env.BENCH_CPU_PROF) execArgv.unshift('--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`);
  const child = fork(script, [], { execArgv, env: { ...process.env, BENCH_BACKEND: queue }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    let result: BackendResult | undefined;
    let failure: string | undefined;
    // Bounded: a child that overruns is killed (our own child, by its handle); its own watchdog should come first.
    const timer = setTimeout(() => {
      failure = `the ${queue} run passed ${RUN_TIMEOUT_MS} ms`;
      child.kill('SIGKILL');
    }, RUN_TIMEOUT_MS + 30_000);
    child.on('message', (message: { result?: BackendResult; error?: string }) => {
      if (message.result) result = message.result;
      if (message.error) failure = message.error;
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (result) resolve(result);
      else reject(new Error(`${queue} benchmark failed: ${failure ?? `child exited with ${code ?? signal}`}`));
    });
  });
}

async function main(): Promise<number> {
  let embedded: { handle: EmbeddedPostgresHandle; dir: string } | undefined;
  let compiledDir: string | undefined;
  try {
    if (!process.env.DATABASE_URL) {
      // As test/support/global-setup.ts: an embedded PostgreSQL in a fresh temporary folder.
      const dir = await mkdtemp(join(os.tmpdir(), 'seminarhub-bench-pg-'));
      const port = intEnv('BENCH_EMBEDDED_PG_PORT', 54349, 1024, 65535);
      embedded = { handle: await startEmbeddedPostgres(dir, port, 'postgres'), dir };
      process.env.DATABASE_URL = embedded.handle.url;
      console.log(`bench: embedded PostgreSQL at 127.0.0.1:${port} (DATABASE_URL not set)`);
    }
    for (const [name, value] of [
      ['DATABASE_URL', process.env.DATABASE_URL],
      ['REDIS_URL', process.env.REDIS_URL],
    ] as const) {
      if (value && !['127.0.0.1', 'localhost', '[::1]'].includes(new URL(value).hostname)) {
        throw new Error(`${name} must name a server on this machine (127.0.0.1): the benchmarks measure the app, not a network`);
      }
    }
    await assertPostgresReachable(process.env.DATABASE_URL);
    if (process.env.REDIS_URL) await assertRedisReachable(process.env.REDIS_URL);
    // BENCH_BACKENDS=redis (or postgres): one backend only, for a shorter run.
    const backends: QueueBackend[] = (process.env.REDIS_URL ? (['postgres', 'redis'] as const) : (['postgres'] as const)).filter(
      (backend) => !process.env.BENCH_BACKENDS || process.env.BENCH_BACKENDS.split(',').includes(backend),
    );
    console.log(
      `bench: backends ${backends.join(', ')}; ${MEMBERS} members, ${REGISTRATIONS} registrations, ${READS} reads per endpoint at concurrency ${READ_CONCURRENCY}; ` +
        `${os.cpus().length} CPUs, Node ${process.version}`,
    );

    if (process.env.BENCH_COMPILED === '1') compiledDir = await compileBench();
    const results: BackendResult[] = [];
    for (const queue of backends) results.push(await runBackendInChild(queue, compiledDir));

    const report = {
      generatedAt: new Date().toISOString(),
      machine: {
        cpus: os.cpus().length,
        cpuModel: os.cpus()[0]?.model ?? 'unknown',
        totalMemoryMb: mb(os.totalmem()),
        platform: `${os.platform()} ${os.release()}`,
        node: process.version,
        postgres: embedded ? 'embedded (embedded-postgres package)' : 'DATABASE_URL',
      },
      app: compiledDir ? 'compiled JavaScript (BENCH_COMPILED=1)' : 'ts-node (TypeScript compiled in the process)',
      nodeFlags: process.env.BENCH_NODE_FLAGS ?? '',
      settings: {
        members: MEMBERS,
        import: IMPORT,
        registrations: REGISTRATIONS,
        rushConnections: RUSH_CONNECTIONS,
        rushSeconds: RUSH_SECONDS,
        feedEvents: FEED_EVENTS,
        mailConnections: MAIL_CONNECTIONS,
        reads: READS,
        readConcurrency: READ_CONCURRENCY,
        readWarmup: READ_WARMUP,
        memorySampleMs: SAMPLE_EVERY_MS,
      },
      notes: [
        'Each backend runs in its own process: the app (api and worker roles in one process, as test/support/test-app.ts starts it) and a counting SMTP server. Memory and CPU figures are of that process.',
        'HTTP load comes from a separate child process (bench/load-generator.ts); latencies are from request start to the end of the response body.',
        'dbQueries.app counts round trips through TypeORM (transaction statements included); dbQueries.all counts every pg query of the process, so with the PostgreSQL queue backend it includes BullMQ.',
      ],
      backends: results,
    };
    for (const result of results) console.log(table(result));
    await mkdir(join(__dirname, 'results'), { recursive: true });
    await writeFile(RESULTS_FILE, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`\nbench: figures written to ${RESULTS_FILE}`);
    const failed = results.flatMap((r) => r.checks.filter((c) => !c.ok));
    return failed.length === 0 ? 0 : 1;
  } finally {
    if (compiledDir) await rm(compiledDir, { recursive: true, force: true });
    if (embedded) {
      await embedded.handle.stop().catch((error: Error) => console.error(`stopping the embedded PostgreSQL: ${error.message}`));
      await rm(embedded.dir, { recursive: true, force: true });
    }
  }
}

const backendOfThisProcess = process.env.BENCH_BACKEND as QueueBackend | undefined;
if (backendOfThisProcess) {
  // A child of main(): one backend, figures back over IPC.
  const watchdog = setTimeout(() => {
    console.error(`bench ${backendOfThisProcess}: passed ${RUN_TIMEOUT_MS} ms; exiting`);
    process.exit(1);
  }, RUN_TIMEOUT_MS);
  watchdog.unref();
  runOneBackend(backendOfThisProcess).then(
    (result) => process.send!({ result }, () => process.exit(0)),
    (error: Error) => {
      console.error(`bench ${backendOfThisProcess} failed: ${error.stack ?? error.message}`);
      process.send!({ error: error.message }, () => process.exit(1));
    },
  );
} else {
  main().then(
    (code) => process.exit(code),
    (error: Error) => {
      console.error(`bench failed: ${error.stack ?? error.message}`);
      process.exit(1);
    },
  );
}
