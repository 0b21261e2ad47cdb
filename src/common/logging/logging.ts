import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Params } from 'nestjs-pino';
import type { DestinationStream } from 'pino';

/** Paths whose last segment is a personal credential (emailed links, sign-in links, private feeds). */
const TOKEN_PATHS = /^(\/(?:r|u|feeds|console\/sign-in))\/[^/?#]+/;

/**
 * A URL fit for a log line: the token of an emailed link, a sign-in link or a private feed is
 * replaced (STYLE: never log tokens or full email links), and so is the query string of such a path.
 */
export function loggableUrl(url: string | undefined): string {
  if (!url) return '';
  const match = TOKEN_PATHS.exec(url);
  return match ? `${match[1]}/[redacted]` : url;
}

/** An incoming X-Request-Id of a sane shape is kept (a proxy's id joins the logs); otherwise a new UUID. */
export function requestId(request: IncomingMessage, response: ServerResponse): string {
  const given = request.headers['x-request-id'];
  const id = typeof given === 'string' && /^[\w.:-]{1,128}$/.test(given) ? given : randomUUID();
  response.setHeader('X-Request-Id', id);
  return id;
}

/**
 * nestjs-pino's settings: one JSON line per event at LOG_LEVEL, each request's lines carrying
 * its id (`req.id`, echoed as X-Request-Id), credentials redacted, the token paths rewritten, and
 * no line for the health probes load balancers send every few seconds.
 */
export function loggerParams(config: { logLevel: string }, stream?: DestinationStream): Params {
  return {
    pinoHttp: [
      {
        level: config.logLevel,
        genReqId: requestId,
        autoLogging: { ignore: (request) => (request.url ?? '').startsWith('/health') },
        customLogLevel: (_request, response, error) => (error || response.statusCode >= 500 ? 'error' : 'info'),
        redact: {
          paths: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-csrf-token"]', 'res.headers["set-cookie"]'],
          censor: '[redacted]',
        },
        serializers: {
          req: (request: { id: unknown; method: string; url: string; headers: Record<string, unknown>; remoteAddress?: string }) => ({
            id: request.id,
            method: request.method,
            url: loggableUrl(request.url),
            headers: request.headers,
            remoteAddress: request.remoteAddress,
          }),
        },
      },
      stream as DestinationStream,
    ],
  };
}
