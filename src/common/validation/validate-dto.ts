import { ValidationPipe } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate, ValidationError } from 'class-validator';

/** The options of the global ValidationPipe; validateDto uses the same, so a CSV row is checked exactly like a JSON body. */
export const VALIDATION_OPTIONS = {
  whitelist: true,
  forbidNonWhitelisted: true,
  transform: true,
  stopAtFirstError: false,
} as const;

export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe(VALIDATION_OPTIONS);
}

/** Validates a plain object against a DTO class; returns the instance or the messages ("email must be an email"). */
export async function validateDto<T extends object>(
  dtoClass: new () => T,
  plain: object,
): Promise<{ value: T; errors: [] } | { value: undefined; errors: string[] }> {
  const value = plainToInstance(dtoClass, plain);
  const errors = await validate(value, VALIDATION_OPTIONS);
  if (errors.length === 0) return { value, errors: [] };
  return { value: undefined, errors: flattenMessages(errors) };
}

function flattenMessages(errors: ValidationError[], path = ''): string[] {
  return errors.flatMap((error) => {
    const own = Object.values(error.constraints ?? {});
    const nested = flattenMessages(error.children ?? [], `${path}${error.property}.`);
    return [...own.map((message) => (path ? `${path}${message}` : message)), ...nested];
  });
}
