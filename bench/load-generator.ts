/**
 * The HTTP load generator, run as a child process of bench/run.ts (forked with ts-node) so that
 * building requests and reading answers does not share the event loop, the CPU time or the heap
 * of the app process whose latency and memory are measured. It talks to 127.0.0.1 only, sends
 * a bounded list of requests with bounded concurrency, bounds each request and the whole run in
 * time, and reports each request's latency and status back over IPC.
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';

export interface LoadRequest {
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface LoadCommand {
  id: number;
  baseUrl: string;
  requests: LoadRequest[];
  concurrency: number;
  /** A request not answered within this is counted as an error. */
  requestTimeoutMs: number;
  /** No request is started after this much time from the start of the run. */
  deadlineMs: number;
  /**
   * Sustained mode: keep every connection busy for this long, cycling through `requests`, with
   * `{n}` in a body replaced by a running number (distinct registrations for as long as it runs).
   */
  durationMs?: number;
}

export interface LoadResult {
  id: number;
  /** Latency of each answered request, in ms, in completion order. */
  latenciesMs: number[];
  /** Answers by HTTP status, plus `error` for requests that got no answer. */
  statuses: Record<string, number>;
  /** The first few problems (non-2xx bodies, socket errors), for the report. */
  problems: string[];
  started: number;
  notStarted: number;
  wallMs: number;
  /** CPU time the load generator itself used (user + system), so its share of the machine is known. */
  cpuMs: number;
}

const MAX_REQUESTS = 100_000;
const MAX_CONCURRENCY = 1_000;

async function run(command: LoadCommand): Promise<LoadResult> {
  const base = new URL(command.baseUrl);
  if (base.hostname !== '127.0.0.1' || base.protocol !== 'http:') throw new Error(`load generator talks to http://127.0.0.1 only, not ${command.baseUrl}`);
  if (command.requests.length > MAX_REQUESTS) throw new Error(`at most ${MAX_REQUESTS} requests per run`);
  const sustained = command.durationMs !== undefined;
  const concurrency = Math.max(1, Math.min(command.concurrency, MAX_CONCURRENCY, sustained ? MAX_CONCURRENCY : command.requests.length));
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency, maxFreeSockets: concurrency });
  const latenciesMs: number[] = [];
  const statuses: Record<string, number> = {};
  const problems: string[] = [];
  let next = 0;
  let started = 0;
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  const deadline = t0 + Math.min(command.deadlineMs, command.durationMs ?? Infinity);

  const one = (request: LoadRequest) =>
    new Promise<void>((resolve) => {
      const begin = performance.now();
      const headers: Record<string, string | number> = { ...(request.headers ?? {}) };
      if (request.body !== undefined) headers['content-length'] = Buffer.byteLength(request.body);
      const req = http.request(
        { host: '127.0.0.1', port: Number(base.port), method: request.method, path: request.path, headers, agent, timeout: command.requestTimeoutMs },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            const status = res.statusCode ?? 0;
            latenciesMs.push(performance.now() - begin);
            statuses[status] = (statuses[status] ?? 0) + 1;
            if ((status < 200 || status >= 300) && problems.length < 5) {
              problems.push(`${request.method} ${request.path} → ${status}: ${Buffer.concat(chunks).toString('utf8').slice(0, 200)}`);
            }
            resolve();
          });
          res.on('error', (error) => fail(error));
        },
      );
      let failed = false;
      const fail = (error: Error) => {
        if (failed) return;
        failed = true;
        statuses.error = (statuses.error ?? 0) + 1;
        if (problems.length < 5) problems.push(`${request.method} ${request.path} → ${error.message}`);
        resolve();
      };
      req.on('timeout', () => req.destroy(new Error(`no answer within ${command.requestTimeoutMs} ms`)));
      req.on('error', fail);
      req.end(request.body);
    });

  const lane = async () => {
    while ((sustained || next < command.requests.length) && performance.now() < deadline) {
      const n = next++;
      const request = command.requests[n % command.requests.length];
      started++;
      await one(sustained && request.body !== undefined ? { ...request, body: request.body.replace(/\{n\}/g, String(n)) } : request);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  const wallMs = performance.now() - t0;
  agent.destroy();
  const used = process.cpuUsage(cpu);
  return {
    id: command.id,
    latenciesMs,
    statuses,
    problems,
    started,
    notStarted: sustained ? 0 : command.requests.length - started,
    wallMs,
    cpuMs: (used.user + used.system) / 1000,
  };
}

if (require.main === module) {
  if (!process.send) {
    console.error('bench/load-generator.ts is started by bench/run.ts (over IPC), not by hand');
    process.exit(2);
  }
  process.on('message', (message: LoadCommand | { stop: true }) => {
    if ('stop' in message) {
      process.disconnect();
      return;
    }
    run(message).then(
      (result) => process.send!(result),
      (error: Error) => process.send!({ id: message.id, error: error.message }),
    );
  });
  // The parent went away (crash, Ctrl-C): do not linger.
  process.on('disconnect', () => process.exit(0));
}
