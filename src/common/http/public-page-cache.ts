import type { NextFunction, Request, Response } from 'express';
import type { OutgoingHttpHeader } from 'node:http';
import { PinoLogger } from 'nestjs-pino';
import { performance } from 'node:perf_hooks';
import { Clock } from '../clock';
import { requestId } from '../logging/logging';
import { requestLocale } from '../templates/locales';
import { bodyOf, isShared, PER_REQUEST_HEADERS, shareable } from './public-page-cache-rules';

/** Bounds on memory: a query string makes a new key, so any visitor can make keys. */
const MAX_ENTRIES = 1000;
const MAX_BYTES = 32 * 1024 * 1024;
/** A clock that keeps pace with real time within this is taken as not moved (two reads a few microseconds apart). */
const CLOCK_TOLERANCE_MS = 5;

interface CachedAnswer {
  status: number;
  headers: [string, OutgoingHttpHeader][];
  body: Buffer;
  /** The route Express matched when the answer was made, so the latency metric keeps its label. */
  route: unknown;
  storedAt: number;
  /** The app's clock minus real time when the answer was made: a test (or anything) moving the clock changes it. */
  clockOffset: number;
  generation: number;
}

/** An answer being made by Nest for one key, and the requests for the same key waiting for it. */
interface Rendering {
  generation: number;
  waiting: ((answer: CachedAnswer | undefined) => void)[];
}

export interface PublicPageCacheOptions {
  /** How long an answer is reused (PUBLIC_PAGE_CACHE_MS); 0: never (writes are still counted). */
  ttlMs: number;
  clock: Clock;
  /** The public rate limit (rate-limit/publicRateLimit): rejects over the limit. Absent when the limits are off. */
  admit?: (request: Request, response: Response) => Promise<void>;
}

/**
 * The rendered answer of a public page or list, kept in this process and answered again without
 * Nest, the database or the templates ("cache what is the same for everyone; invalidate on
 * change"). An answer is reused while all of these hold:
 * - it is under `ttlMs` old: the bound on how late a change made through another api process (or
 *   by the worker: the quota release) shows here;
 * - no write request has completed in this process since it was made (a generation counter, moved
 *   by every request other than GET/HEAD/OPTIONS unless it was refused with a 4xx, which by
 *   invariant 7 changed nothing): a change made here shows at once;
 * - the app's Clock has kept pace with real time (registration windows open and close by it, and
 *   tests move it).
 * Keyed by the path with its query string and the page's language (`?lang`, else Accept-Language:
 * requestLocale), so each language has its own.
 *
 * Only anonymous GETs of SHARED_PATHS take part: a request with an Authorization header or a cookie
 * of the app's own (`sh_…`: an organizer sees drafts and other fields, door staff get a 403) is
 * neither answered from nor stored in the cache (other sites' cookies do not count), and only a complete 2xx answer without Set-Cookie or a private
 * Cache-Control is kept.
 *
 * Registered in bootstrap ahead of the security headers, the request log and Nest's routing, which
 * is what makes a hit cheap; so a hit does itself what those would: the public rate limit through
 * the guard's own code (`admit`), a fresh X-Request-Id, the stored answer's headers (helmet's among
 * them: the same for the same path), a 304 for a matching If-None-Match, and one request log line.
 *
 * While Nest makes the answer for a key, the other requests for that key wait for it instead of
 * each making it again: at 100 connections an expired page would otherwise be rendered by up to
 * 100 requests at once (each two database round trips and a render). If that answer is not kept
 * (a 404, a write completed meanwhile), the waiting requests go on through Nest themselves.
 */
export class PublicPageCache {
  private readonly entries = new Map<string, CachedAnswer>();
  private readonly rendering = new Map<string, Rendering>();
  private bytes = 0;
  private generation = 0;

  constructor(private readonly options: PublicPageCacheOptions) {}

  middleware(): (request: Request, response: Response, next: NextFunction) => void {
    return (request, response, next) => this.handle(request, response, next);
  }

  private handle(request: Request, response: Response, next: NextFunction): void {
    const method = request.method;
    if (method !== 'GET' && method !== 'HEAD' && method !== 'OPTIONS') {
      this.countWrite(response);
      return next();
    }
    if (this.options.ttlMs === 0 || method !== 'GET' || !isShared(request)) return next();
    const key = `${requestLocale(request)} ${request.originalUrl}`;
    const cached = this.fresh(key);
    if (cached) return this.hit(request, response, next, cached);
    const rendering = this.rendering.get(key);
    if (rendering && rendering.generation === this.generation) {
      rendering.waiting.push((answer) => (answer ? this.hit(request, response, next, answer) : next()));
      return;
    }
    this.capture(request, response, key);
    next();
  }

  /** Counted by the rate limit like any public read (a 429 through Nest's exception filter), then answered from memory. */
  private hit(request: Request, response: Response, next: NextFunction, cached: CachedAnswer): void {
    const started = performance.now();
    if (!this.options.admit) return this.answer(request, response, cached, started);
    this.options.admit(request, response).then(
      () => this.answer(request, response, cached, started),
      (error: unknown) => next(error),
    );
  }

  private countWrite(response: Response): void {
    let counted = false;
    const count = () => {
      // A refused write changed nothing (invariant 7); a flood of 429s or 400s keeps the pages cached.
      if (counted || (response.statusCode >= 400 && response.statusCode < 500)) return;
      counted = true;
      this.generation++;
    };
    // 'close' also when the client went away before the answer: the change may have been made all the same.
    response.once('finish', count);
    response.once('close', count);
  }

  private fresh(key: string): CachedAnswer | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.generation === this.generation && Date.now() - entry.storedAt < this.options.ttlMs && this.clockKeptPace(entry.clockOffset)) return entry;
    this.forget(key, entry);
    return undefined;
  }

  private clockOffset(): number {
    return this.options.clock.nowMs() - Date.now();
  }

  private clockKeptPace(offset: number): boolean {
    return Math.abs(this.clockOffset() - offset) <= CLOCK_TOLERANCE_MS;
  }

  /** Keeps the answer Nest is about to send, if it turns out to be one everyone may share. */
  private capture(request: Request, response: Response, key: string): void {
    const generation = this.generation;
    const clockOffset = this.clockOffset();
    const rendering: Rendering = { generation, waiting: [] };
    this.rendering.set(key, rendering);
    let settled = false;
    const settle = (answer: CachedAnswer | undefined) => {
      if (settled) return;
      settled = true;
      if (this.rendering.get(key) === rendering) this.rendering.delete(key);
      for (const wake of rendering.waiting) wake(answer);
    };
    // An answer that never reaches end() (the connection dropped first) releases the waiting ones all the same.
    response.once('close', () => settle(undefined));
    const end = response.end.bind(response);
    response.end = ((...args: unknown[]) => {
      response.end = end;
      const [chunk, encoding] = args;
      let kept: CachedAnswer | undefined;
      // Every answer of these routes is one res.send: one end() with the whole body, headers not yet out.
      // Headers already sent mean a body written in parts (a stream): not kept.
      if (!response.headersSent && generation === this.generation && this.clockKeptPace(clockOffset)) {
        const body = bodyOf(chunk, encoding);
        if (body && shareable(response)) kept = this.store(key, request, response, body, generation, clockOffset);
      }
      const result = (end as (...a: unknown[]) => Response)(...args);
      settle(kept);
      return result;
    }) as Response['end'];
  }

  private store(key: string, request: Request, response: Response, body: Buffer, generation: number, clockOffset: number): CachedAnswer | undefined {
    if (body.length > MAX_BYTES / 4) return undefined;
    const headers = Object.entries(response.getHeaders())
      .filter(([name, value]) => value !== undefined && !PER_REQUEST_HEADERS.has(name.toLowerCase()))
      .map(([name, value]): [string, OutgoingHttpHeader] => [name, value as OutgoingHttpHeader]);
    const previous = this.entries.get(key);
    if (previous) this.forget(key, previous);
    const entry: CachedAnswer = { status: response.statusCode, headers, body, route: request.route, storedAt: Date.now(), clockOffset, generation };
    this.entries.set(key, entry);
    this.bytes += body.length;
    // Oldest first (an entry is deleted before it is set again, so the Map's order is the order of
    // storing): those past their time, then any more until within both bounds.
    const now = Date.now();
    for (const [oldKey, old] of this.entries) {
      if (now - old.storedAt < this.options.ttlMs && this.entries.size <= MAX_ENTRIES && this.bytes <= MAX_BYTES) break;
      this.forget(oldKey, old);
    }
    return entry;
  }

  private forget(key: string, entry: CachedAnswer): void {
    if (this.entries.get(key) !== entry) return;
    this.entries.delete(key);
    this.bytes -= entry.body.length;
  }

  private answer(request: Request, response: Response, cached: CachedAnswer, started: number): void {
    // Express sets req.route when it matches one; the latency metric (Metrics.httpTimer) labels by it.
    request.route = cached.route;
    // Where pino-http keeps it, so the log line below serializes the request as pino-http's own lines do.
    (request as Request & { id?: string }).id = requestId(request, response);
    for (const [name, value] of cached.headers) response.setHeader(name, value);
    response.statusCode = cached.status;
    response.once('finish', () => logHit(request, response, started));
    // Express's own conditional GET rule (If-None-Match against the stored ETag), as res.send applies it.
    if (request.fresh) {
      response.statusCode = 304;
      response.removeHeader('Content-Type');
      response.removeHeader('Content-Length');
      response.end();
      return;
    }
    response.end(cached.body);
  }
}

/** The line pino-http writes for every other request (it runs after this middleware, so not for a hit). */
function logHit(request: Request, response: Response, started: number): void {
  const logger = PinoLogger.root;
  if (!logger?.isLevelEnabled('info')) return;
  logger.info(
    {
      // The request and response themselves: pino-http's serializers (and the redactions in logging.ts) apply as to its own lines.
      req: request,
      res: response,
      responseTime: Math.round(performance.now() - started),
      cache: 'hit',
    },
    'request completed',
  );
}
