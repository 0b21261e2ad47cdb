import { createHash } from 'node:crypto';

/** SHA-256 of a credential: tokens, sessions and links are stored only as this. */
export function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
