/**
 * Errors that mean PostgreSQL could not be reached or dropped the connection, not that the request
 * was wrong: refused or reset sockets, a pool that could not connect in time, the server shutting
 * down (SQLSTATE class 08 and 57P01-57P03), too many connections. pg raises some as plain Errors
 * with a socket code, some only by message; TypeORM wraps the ones from a query in QueryFailedError.
 */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
const SERVER_CODES = new Set(['57P01', '57P02', '57P03', '53300']);
const MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection is closed|connect ECONNREFUSED/i;

export function isDatabaseUnavailable(error: unknown): boolean {
  // Duck-typed, not `instanceof Error`: socket errors come from another realm under some runners (jest's sandbox).
  let cause: unknown = error;
  for (let depth = 0; typeof cause === 'object' && cause !== null && depth < 4; depth++) {
    const { code, message, driverError, cause: next } = cause as { code?: unknown; message?: unknown; driverError?: unknown; cause?: unknown };
    if (typeof code === 'string' && (SOCKET_CODES.has(code) || SERVER_CODES.has(code) || code.startsWith('08'))) return true;
    if (typeof message === 'string' && MESSAGES.test(message)) return true;
    cause = driverError ?? next;
  }
  return false;
}
