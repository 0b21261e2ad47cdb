import type { Request, Response } from 'express';

/** What PublicPageCache may keep and replay. */
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

/**
 * The answers that are the same for every anonymous visitor: the public list and event pages and
 * the event list and event of the JSON API. Listed by path, not by "every public GET": nothing
 * behind a personal link (/r/, /u/, /feeds/), no console page, nothing added later by accident.
 */
const SHARED_PATHS = [
  new RegExp(`^/events/?$`),
  new RegExp(`^/events/${UUID}/?$`, 'i'),
  new RegExp(`^/api/events/?$`),
  new RegExp(`^/api/events/${UUID}/?$`, 'i'),
];

/** Written fresh for each request, never replayed: its id, its rate-limit count, the connection's own. */
export const PER_REQUEST_HEADERS = new Set([
  'x-request-id',
  'x-ratelimit-limit',
  'x-ratelimit-remaining',
  'x-ratelimit-reset',
  'retry-after',
  'date',
  'connection',
  'keep-alive',
  'transfer-encoding',
]);

/**
 * A cookie of the app's own: they all start with `sh_` (the console and door sessions, CSRF, the
 * console's language, flash messages), and only they can change an answer. Other cookies, such as
 * the analytics of the park's own site on the parent domain, which browsers send here too, do not.
 */
const APP_COOKIE = /(?:^|;)\s*sh_/;

/** Whether the request asks for an answer the same for every anonymous visitor. */
export function isShared(request: Request): boolean {
  const headers = request.headers;
  if (headers.authorization !== undefined || (headers.cookie !== undefined && APP_COOKIE.test(headers.cookie))) return false;
  // A GET with a body is refused with a 415 on the API (content-type.ts); let the app say so.
  if (headers['transfer-encoding'] !== undefined || Number(headers['content-length'] ?? 0) > 0) return false;
  const path = request.path;
  return SHARED_PATHS.some((pattern) => pattern.test(path));
}

/** Whether the answer may be kept: a complete 2xx that sets no cookie and does not say no-store or private. */
export function shareable(response: Response): boolean {
  if (response.statusCode < 200 || response.statusCode >= 300) return false;
  if (response.getHeader('set-cookie') !== undefined) return false;
  const cacheControl = String(response.getHeader('cache-control') ?? '');
  return !/no-store|private/i.test(cacheControl);
}

/** A chunk given to write() or end() as bytes. */
export function bodyOf(chunk: unknown, encoding: unknown): Buffer | undefined {
  if (Buffer.isBuffer(chunk)) return chunk;
  if (typeof chunk === 'string') return Buffer.from(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
  if (chunk instanceof Uint8Array) return Buffer.from(chunk);
  return undefined;
}
