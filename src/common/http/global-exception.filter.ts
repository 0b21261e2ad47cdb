import { ArgumentsHost, BadRequestException, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import { QueryFailedError } from 'typeorm';
import { isDatabaseUnavailable } from '../errors/database-unavailable';
import { DomainError, DomainErrorCode } from '../errors/domain-errors';
import { requestLocale } from '../templates/locales';
import type { TemplateRenderer } from '../templates/template-renderer.service';
import { INVALID_UTF8_BODY } from './parsed-body';

const DOMAIN_STATUS: Record<DomainErrorCode, number> = {
  not_found: HttpStatus.NOT_FOUND,
  conflict: HttpStatus.CONFLICT,
  invalid: HttpStatus.BAD_REQUEST,
  gone: HttpStatus.GONE,
  forbidden: HttpStatus.FORBIDDEN,
};

/** PostgreSQL SQLSTATEs that mean the input was wrong, not the server. */
const PG_STATUS: Record<string, [number, string]> = {
  '23505': [HttpStatus.CONFLICT, 'already exists'],
  '23503': [HttpStatus.CONFLICT, 'refers to something that does not exist or is still in use'],
  '23514': [HttpStatus.BAD_REQUEST, 'breaks a rule of the data'],
  '22P02': [HttpStatus.BAD_REQUEST, 'has an invalid format'],
  '22001': [HttpStatus.BAD_REQUEST, 'is too long'],
  '22007': [HttpStatus.BAD_REQUEST, 'is not a valid date'],
  '22008': [HttpStatus.BAD_REQUEST, 'is out of range'],
};

/**
 * One place that turns every error into the answer clients rely on (CONTRACT.md):
 * 4xx pass through with field-level messages; anything else is logged with a
 * correlation id and answered with a generic 500 carrying that id.
 */
@Catch()
export class GlobalExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  /** `templates` renders the error page people get on the HTML pages (templates/pages/error.hbs). */
  constructor(private readonly templates?: TemplateRenderer) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const response = http.getResponse<Response>();
    const request = http.getRequest<Request>();
    const { status, body } = this.toAnswer(exception, request);
    if (response.headersSent) return;
    // A route may have set its own type before failing (calendar.ics: text/calendar, as an attachment).
    response.removeHeader('Content-Disposition');
    if (status === 503) response.setHeader('Retry-After', '5');
    if (isPageRequest(request) && this.templates) {
      // People on the pages (the event page form, emailed links) get a page, not JSON.
      const page = this.errorPage(request, status, body);
      if (page !== undefined) {
        response.status(status).type('html').send(page);
        return;
      }
    }
    response.setHeader('Content-Type', 'application/json; charset=utf-8');
    response.status(status).json(body);
  }

  /** The error page in the reader's language; undefined (and JSON instead) should the template itself fail. */
  private errorPage(request: Request, status: number, body: Record<string, unknown>): string | undefined {
    try {
      const locale = requestLocale(request);
      const strings = this.templates!.strings(locale);
      const group = status >= 500 ? '5xx' : '4xx';
      const reason = strings.text(strings.has(`pages.error.status.${status}`) ? `pages.error.status.${status}` : `pages.error.status.${group}`);
      return this.templates!.renderPage(locale, 'error', {
        title: strings.text('pages.error.title', { reason, status }),
        messages: Array.isArray(body.message) ? body.message : [body.message],
        correlationId: body.correlationId,
      });
    } catch (error) {
      this.logger.error(`the error page did not render: ${error instanceof Error ? error.stack : String(error)}`);
      return undefined;
    }
  }

  private toAnswer(exception: unknown, request: Request): { status: number; body: Record<string, unknown> } {
    if (isUnreadableJsonBody(exception, request)) {
      return { status: HttpStatus.BAD_REQUEST, body: { statusCode: 400, error: errorName(400), message: ['body is not valid JSON'] } };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const payload = exception.getResponse();
      const body: Record<string, unknown> = typeof payload === 'string' ? { statusCode: status, message: [payload] } : { statusCode: status, ...payload };
      if (typeof body.message === 'string') body.message = [body.message];
      return { status, body: { error: errorName(status), ...body } };
    }
    if (exception instanceof DomainError) {
      const status = DOMAIN_STATUS[exception.code];
      return { status, body: { statusCode: status, error: errorName(status), message: [exception.message] } };
    }
    const bodyParserStatus = bodyParserError(exception);
    if (bodyParserStatus) {
      const [status, message] = bodyParserStatus;
      return { status, body: { statusCode: status, error: errorName(status), message: [message] } };
    }
    if (exception instanceof QueryFailedError) {
      const code = (exception.driverError as { code?: string } | undefined)?.code ?? '';
      const mapped = PG_STATUS[code];
      if (mapped) {
        const [status, reason] = mapped;
        const column = (exception.driverError as { column?: string; constraint?: string }).column ?? 'input';
        return { status, body: { statusCode: status, error: errorName(status), message: [`${column} ${reason}`] } };
      }
    }
    if (isDatabaseUnavailable(exception)) {
      // Not the client's fault and not a bug: the database is away. Say so, so clients retry rather than report a 500.
      this.logger.warn(`${request.method} ${request.path}: the database is unavailable: ${exception instanceof Error ? exception.message : String(exception)}`);
      return {
        status: HttpStatus.SERVICE_UNAVAILABLE,
        body: { statusCode: 503, error: 'Service Unavailable', message: ['the database is unavailable; nothing was changed, try again shortly'] },
      };
    }
    const correlationId = randomUUID();
    this.logger.error(`${request.method} ${request.path} failed [${correlationId}]: ${exception instanceof Error ? exception.stack : String(exception)}`);
    return {
      status: HttpStatus.INTERNAL_SERVER_ERROR,
      body: { statusCode: 500, error: 'Internal Server Error', message: ['Something went wrong on our side'], correlationId },
    };
  }
}

/**
 * Nest maps body-parser's SyntaxError to a bare BadRequestException carrying the parser's own text
 * ("Unexpected end of JSON input") before any filter sees it; the request, whose JSON body was never
 * parsed, tells that case apart so the answer names the body.
 */
function isUnreadableJsonBody(exception: unknown, request: Request): boolean {
  if (!(exception instanceof BadRequestException) || request.body !== undefined || !request.is?.('json')) return false;
  const payload = exception.getResponse();
  return typeof payload === 'object' && payload !== null && typeof (payload as { message?: unknown }).message === 'string';
}

/**
 * body-parser raises plain errors with `type` and `status`; they are the client's fault. A body that
 * does not inflate under its Content-Encoding (`gzip` with garbage) comes as zlib's error wrapped
 * in a 400 without a `type`: any http-errors error marked `expose` with a 4xx status is the client's too.
 */
function bodyParserError(exception: unknown): [number, string] | undefined {
  const error = exception as { type?: string; status?: number; limit?: number; expose?: boolean; code?: string } | null;
  if (!error || typeof error.status !== 'number') return undefined;
  if (typeof error.type !== 'string') {
    if (error.expose !== true || error.status < 400 || error.status >= 500) return undefined;
    if (typeof error.code === 'string' && error.code.startsWith('Z_')) return [error.status, 'body could not be decoded with its Content-Encoding'];
    return [error.status, 'body could not be read'];
  }
  switch (error.type) {
    case 'entity.too.large':
      return [HttpStatus.PAYLOAD_TOO_LARGE, `body must not be larger than ${error.limit} bytes`];
    case 'entity.parse.failed':
      return [HttpStatus.BAD_REQUEST, 'body is not valid JSON'];
    case INVALID_UTF8_BODY:
      return [HttpStatus.BAD_REQUEST, 'body is not valid UTF-8'];
    case 'charset.unsupported':
    case 'encoding.unsupported':
      return [HttpStatus.UNSUPPORTED_MEDIA_TYPE, 'body must be UTF-8'];
    default:
      return error.status >= 400 && error.status < 500 ? [error.status, `body could not be read (${error.type})`] : undefined;
  }
}

/** The HTML pages: what a browser opens outside the JSON API, the feeds and health. */
function isPageRequest(request: Request): boolean {
  const path = request.path ?? '';
  return /^\/(events|r|u|console)(\/|$)/.test(path) && !!request.accepts?.('html');
}

function errorName(status: number): string {
  const names: Record<number, string> = {
    400: 'Bad Request',
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'Not Found',
    409: 'Conflict',
    410: 'Gone',
    413: 'Payload Too Large',
    415: 'Unsupported Media Type',
    429: 'Too Many Requests',
    503: 'Service Unavailable',
  };
  return names[status] ?? (status >= 500 ? 'Internal Server Error' : 'Error');
}
