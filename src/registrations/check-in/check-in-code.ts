import { randomBytes } from 'node:crypto';

/**
 * Door codes: 8 characters of Crockford base32 (no I, L, O, U), shown as "7KQM-2XWD". 40 random
 * bits, unique within an event. Reading is forgiving, as Crockford intends: case, spaces and
 * hyphens are ignored, O reads as 0, I and L as 1.
 *
 * Why a stored short code and not a 'check_in' link token: a link token is kept only as a hash,
 * so each mail would mint a new one (retries and update mails pile up valid tokens) and none
 * could be shown again; 43 characters cannot be typed at a door; and the code authorises nothing
 * by itself: only the event's organizers and door staff can check someone in with it. Hashing
 * 40 bits would protect nothing either (a leaked table is brute-forced in minutes), while a
 * guess at the door has a chance of (registrations / 2^40) per try, made by signed-in staff.
 */
export const CHECK_IN_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const CHECK_IN_CODE_LENGTH = 8;

/** A new random code in its stored form (8 characters, no hyphen). */
export function newCheckInCode(): string {
  const bytes = randomBytes(CHECK_IN_CODE_LENGTH);
  let code = '';
  // 32 symbols: the low 5 bits of each byte pick one with no bias.
  for (const byte of bytes) code += CHECK_IN_ALPHABET[byte & 31];
  return code;
}

/** The stored form of what was typed or scanned, or null when it cannot be a code. */
export function normalizeCheckInCode(input: string): string | null {
  const code = input
    .toUpperCase()
    .replace(/[\s-]+/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
  return /^[0-9A-HJKMNP-TV-Z]{8}$/.test(code) ? code : null;
}

/** How people see it, in the mail and in the QR code: "7KQM-2XWD". */
export function displayCheckInCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}
