import { UnsupportedMediaTypeException } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';

/** The body types each API route reads; every other /api route reads JSON. */
const NON_JSON_ROUTES: { path: string; types: string[] }[] = [{ path: '/api/members/import', types: ['text/csv', 'text/plain'] }];
const JSON_TYPES = ['application/json', 'application/*+json'];

/**
 * A body of a type the route does not read answers 415 naming the type expected. Without this a
 * JSON route sent text/plain, XML or a form gets a list of missing fields, as if the client had
 * sent an empty object. Bodiless requests (a POST to publish) pass.
 */
export function requireReadableContentType() {
  return (request: Request, _response: Response, next: NextFunction): void => {
    if (!request.path.startsWith('/api/') || !hasBody(request)) return next();
    const accepted = NON_JSON_ROUTES.find((route) => request.path === route.path)?.types ?? JSON_TYPES;
    if (request.is(accepted)) return next();
    const sent = request.headers['content-type'] ?? 'none';
    next(new UnsupportedMediaTypeException([`Content-Type must be ${accepted.filter((type) => !type.includes('*')).join(' or ')} (got ${sent})`]));
  };
}

function hasBody(request: Request): boolean {
  return request.headers['transfer-encoding'] !== undefined || Number(request.headers['content-length'] ?? 0) > 0;
}
