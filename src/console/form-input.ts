import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { VALIDATION_OPTIONS } from '../common/validation/validate-dto';

/** A urlencoded form body as fields: strings, and lists for repeated fields (checkboxes). */
export function formFields(body: unknown): Record<string, string | string[]> {
  const fields: Record<string, string | string[]> = {};
  if (typeof body !== 'object' || body === null) return fields;
  for (const [name, value] of Object.entries(body as Record<string, unknown>)) {
    if (typeof value === 'string') fields[name] = value;
    else if (Array.isArray(value)) fields[name] = value.filter((item): item is string => typeof item === 'string');
  }
  return fields;
}

export function text(fields: Record<string, string | string[]>, name: string): string {
  const value = fields[name];
  return typeof value === 'string' ? value : '';
}

export function list(fields: Record<string, string | string[]>, name: string): string[] {
  const value = fields[name];
  return value === undefined ? [] : typeof value === 'string' ? [value] : value;
}

/**
 * Validates a form against the API's DTO (the same rules as the JSON API) and says which fields
 * are wrong; the page puts its own words next to each.
 */
export async function invalidFields<T extends object>(dtoClass: new () => T, plain: object): Promise<{ value: T; fields: Set<string> }> {
  const value = plainToInstance(dtoClass, plain);
  const errors = await validate(value, VALIDATION_OPTIONS);
  return { value, fields: new Set(errors.map((error) => error.property)) };
}
