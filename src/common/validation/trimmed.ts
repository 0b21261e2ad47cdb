import { Transform } from 'class-transformer';

/** Trims a string before validation (a name pasted with a trailing space is the same name). */
export function Trimmed(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value));
}

/** Trims, and turns an empty string into "absent": an optional form field left blank. */
export function TrimmedOrAbsent(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) => {
    if (typeof value !== 'string') return value;
    const trimmed = value.trim();
    return trimmed === '' ? undefined : trimmed;
  });
}
