import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayUnique, IsArray, IsOptional, IsString, Matches } from 'class-validator';

/** Trims each string of an array and lowers it where asked; other values are left for the validators to refuse. */
export function TrimmedEach(lower = false): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) =>
    Array.isArray(value)
      ? (value as unknown[]).map((item: unknown) => (typeof item === 'string' ? (lower ? item.trim().toLowerCase() : item.trim()) : item))
      : value,
  );
}

/**
 * Keywords: short single-line words or phrases, what a company, a SIG or an event is about. The
 * same rules everywhere, because suggestions compare the event's keywords with the others'.
 */
export function Keywords(): PropertyDecorator {
  return applyDecorators(
    TrimmedEach(),
    IsOptional(),
    IsArray({ message: '$property must be an array of strings' }),
    ArrayMaxSize(50),
    ArrayUnique({ message: '$property must not repeat a keyword' }),
    IsString({ each: true, message: 'each value in $property must be a string' }),
    // eslint-disable-next-line no-control-regex
    Matches(/^[^\u0000-\u001f\u007f]{1,60}$/u, { each: true, message: 'each value in $property must be one line of 1 to 60 characters' }),
  );
}
