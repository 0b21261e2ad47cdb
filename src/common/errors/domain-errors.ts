/**
 * Errors the services raise for the HTTP layer to translate; the global filter maps the code to a status.
 * `field` names the input at fault, so the answer says which field and why.
 */
export type DomainErrorCode = 'not_found' | 'conflict' | 'invalid' | 'gone' | 'forbidden';

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export class NotFoundError extends DomainError {
  constructor(what: string, field = 'id') {
    super('not_found', `${what} not found`, field);
  }
}

export class ConflictError extends DomainError {
  constructor(message: string, field?: string) {
    super('conflict', message, field);
  }
}

export class InvalidInputError extends DomainError {
  constructor(field: string, reason: string) {
    super('invalid', `${field} ${reason}`, field);
  }
}
