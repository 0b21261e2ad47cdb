import { BadRequestException, ParseUUIDPipe } from '@nestjs/common';

/** `@Param('id', UuidParam('id'))`: a malformed id is a 400 that names the parameter, not a database error. */
export function UuidParam(name: string): ParseUUIDPipe {
  return new ParseUUIDPipe({ exceptionFactory: () => new BadRequestException([`${name} must be a UUID`]) });
}
