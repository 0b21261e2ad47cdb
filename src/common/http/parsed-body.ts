import { BadRequestException } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isUtf8 } from 'node:buffer';
import type { NextFunction, Request, Response } from 'express';

/** Deeper than any real body here (the deepest, an event with its clusters, has 2 levels). */
export const MAX_BODY_DEPTH = 32;

/** An unpaired UTF-16 surrogate: JSON may spell one (`"\udfff"`), but it is no text. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Checks a parsed body before anything walks it, answering 400 for:
 * - nesting deeper than `maxDepth`: the JSON parser reads any depth, but the validation that follows
 *   (class-transformer, the ValidationPipe's prototype-key stripping) recurses, so `[[[[…]]]]` ten
 *   thousand levels deep ended in a stack overflow and a 500;
 * - a string or key with an unpaired surrogate (`{"email":"\udfff"}`): validator's isEmail calls
 *   encodeURI, which throws on it (a 500), and PostgreSQL would store it as U+FFFD.
 * Every JSON, form and text body passes here once, before the guards, pipes and handlers. A raw
 * body (the member CSV, a Buffer) is bytes, not yet text: its reader checks it as it decodes it.
 */
export function checkParsedBody(maxDepth = MAX_BODY_DEPTH) {
  return (request: Request, _response: Response, next: NextFunction): void => {
    const problem = bodyProblem(request.body, maxDepth);
    next(problem ? new BadRequestException([problem]) : undefined);
  };
}

/** The first thing wrong with a parsed body, as a message naming where, or undefined. Iterative: no depth can overflow it. */
export function bodyProblem(body: unknown, maxDepth = MAX_BODY_DEPTH): string | undefined {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value: body, path: '', depth: 0 }];
  while (stack.length > 0) {
    const { value, path, depth } = stack.pop()!;
    if (typeof value === 'string') {
      if (LONE_SURROGATE.test(value)) return `${path || 'body'} must be valid Unicode text (it has an unpaired surrogate)`;
      continue;
    }
    if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value)) continue;
    if (depth + 1 > maxDepth) return `body must not be nested deeper than ${maxDepth} levels`;
    for (const [key, child] of Object.entries(value)) {
      if (LONE_SURROGATE.test(key)) return `${path || 'body'} has a property name that is not valid Unicode text (an unpaired surrogate)`;
      stack.push({ value: child, path: path ? `${path}.${key}` : key, depth: depth + 1 });
    }
  }
  return undefined;
}

/** The body-parser error type of a body whose bytes are not UTF-8; the global filter answers it with a 400. */
export const INVALID_UTF8_BODY = 'entity.encoding.invalid';

/**
 * body-parser's `verify` for the JSON and form parsers: it sees the raw bytes before they are
 * decoded, and refuses bytes that are not UTF-8 (0xFF, CP949 from a Korean Windows program, a
 * character cut short). body-parser would decode each as U+FFFD and a name would be stored as
 * "�" with a 201. The JSON counterpart of the unpaired-surrogate rule above, on the bytes; isUtf8
 * is one native pass. A body in another declared charset (JSON may be UTF-16) is not UTF-8's to judge.
 */
export function rejectInvalidUtf8(_request: IncomingMessage, _response: ServerResponse, body: Buffer, encoding: string | null): void {
  if (encoding !== null && encoding.toLowerCase() !== 'utf-8') return;
  if (!isUtf8(body)) throw Object.assign(new Error('body is not valid UTF-8'), { status: 400, expose: true, type: INVALID_UTF8_BODY });
}
