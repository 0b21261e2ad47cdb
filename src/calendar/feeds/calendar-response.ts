import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';

/**
 * Sends a calendar feed with validators: a strong ETag from the SHA-256 of the body (the builder
 * writes the same bytes for the same events), the given Cache-Control, and 304 Not Modified
 * without a body when the client's If-None-Match already names this version.
 */
export function sendCalendar(request: Request, response: Response, body: string, options: { cacheControl: string; headers?: Record<string, string> }): void {
  const etag = calendarEtag(body);
  response.setHeader('ETag', etag);
  response.setHeader('Cache-Control', options.cacheControl);
  for (const [name, value] of Object.entries(options.headers ?? {})) response.setHeader(name, value);
  if (matchesIfNoneMatch(request.headers['if-none-match'], etag)) {
    response.status(304).end();
    return;
  }
  response.status(200).setHeader('Content-Type', 'text/calendar; charset=utf-8');
  response.send(body);
}

export function calendarEtag(body: string): string {
  return `"${createHash('sha256').update(body, 'utf8').digest('base64url')}"`;
}

/** RFC 9110 §13.1.2: `*` or a list of entity tags, compared weakly (a W/ prefix is ignored). */
export function matchesIfNoneMatch(header: string | string[] | undefined, etag: string): boolean {
  if (header === undefined) return false;
  const value = Array.isArray(header) ? header.join(',') : header;
  if (value.trim() === '*') return true;
  const strip = (tag: string) => tag.trim().replace(/^W\//, '');
  return value.split(',').some((tag) => strip(tag) === strip(etag));
}
