import { storage } from 'nestjs-pino/storage';

/**
 * The id of the HTTP request this code runs for (the X-Request-Id it answered with), or undefined
 * outside a request (periodic work, the worker). nestjs-pino keeps each request's logger in an
 * AsyncLocalStorage and the logger is bound to the serialized request, so the id is read from
 * there rather than threaded through every use case that writes mail.
 */
export function currentRequestId(): string | undefined {
  const bindings: { req?: { id?: unknown } } | undefined = storage.getStore()?.logger.bindings();
  const id = bindings?.req?.id;
  return typeof id === 'string' ? id : undefined;
}
