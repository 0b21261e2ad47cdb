import { registerDecorator, ValidationOptions } from 'class-validator';

/** Weights of the first nine digits of a 사업자등록번호 (National Tax Service check-digit rule). */
const WEIGHTS = [1, 3, 7, 1, 3, 7, 1, 3, 5];

/**
 * A Korean business registration number (사업자등록번호) as its ten digits, or null when it is not
 * one: `123-45-67890` (the printed form) or the ten digits alone, with a valid check digit. The
 * ninth digit counts twice over (×5, and again as floor(d9×5/10)): that is the NTS rule.
 */
export function normalizeBusinessNumber(value: string): string | null {
  const match = /^(\d{3})-?(\d{2})-?(\d{5})$/.exec(value.trim());
  if (!match) return null;
  const digits = `${match[1]}${match[2]}${match[3]}`;
  const d = [...digits].map(Number);
  let sum = WEIGHTS.reduce((total, weight, i) => total + d[i] * weight, 0);
  sum += Math.floor((d[8] * 5) / 10);
  return (10 - (sum % 10)) % 10 === d[9] ? digits : null;
}

/** The printed form, 123-45-67890, of ten digits. */
export function formatBusinessNumber(digits: string): string {
  return `${digits.slice(0, 3)}-${digits.slice(3, 5)}-${digits.slice(5)}`;
}

/** class-validator: a valid 사업자등록번호 (see normalizeBusinessNumber). */
export function IsBusinessNumber(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isBusinessNumber',
      target: target.constructor,
      propertyName: propertyName as string,
      options: {
        message: '$property must be a 10-digit business registration number (123-45-67890) with a valid check digit',
        ...options,
      },
      validator: { validate: (value: unknown) => typeof value === 'string' && normalizeBusinessNumber(value) !== null },
    });
}
