import { isIP } from 'node:net';

export type Env = Record<string, string | undefined>;

/**
 * Reads one variable at a time, each with its default and its check. A problem is collected, not
 * thrown, and the default used instead, so loadConfig can report every problem of a start at once.
 */
export class EnvReader {
  constructor(
    private readonly env: Env,
    private readonly problems: string[],
  ) {}

  private raw(name: string): string | undefined {
    const value = this.env[name];
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  }

  string(name: string, fallback: string): string {
    return this.raw(name) ?? fallback;
  }

  pattern(name: string, fallback: string, pattern: RegExp, described: string): string {
    const value = this.raw(name) ?? fallback;
    if (!pattern.test(value)) this.problems.push(`${name} must be ${described} (got "${value}")`);
    return value;
  }

  integer(name: string, fallback: number, min: number, max: number): number {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    const parsed = Number(value);
    if (!/^-?\d+$/.test(value) || parsed < min || parsed > max) {
      this.problems.push(`${name} must be a whole number from ${min} to ${max} (got "${value}")`);
      return fallback;
    }
    return parsed;
  }

  /** true/false, 1/0, yes/no, on/off; anything else is a problem (the string "false" is not true). */
  boolean(name: string, fallback: boolean): boolean {
    const value = this.raw(name)?.toLowerCase();
    if (value === undefined) return fallback;
    if (['true', '1', 'yes', 'on'].includes(value)) return true;
    if (['false', '0', 'no', 'off'].includes(value)) return false;
    this.problems.push(`${name} must be true or false (got "${value}")`);
    return fallback;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const value = this.raw(name) ?? fallback;
    if (!(allowed as readonly string[]).includes(value)) {
      this.problems.push(`${name} must be one of ${allowed.join(', ')} (got "${value}")`);
      return fallback;
    }
    return value as T;
  }

  optionalUrl(name: string, protocols: string[]): string | undefined {
    const value = this.raw(name);
    if (value === undefined) return undefined;
    return this.checkUrl(name, value, protocols);
  }

  url(name: string, fallback: string, protocols: string[]): string {
    return this.checkUrl(name, this.raw(name) ?? fallback, protocols);
  }

  /** A hop count, or a comma-separated list of loopback, linklocal, uniquelocal, IP addresses and IP/prefix subnets. */
  trustProxy(name: string, fallback: string): number | string {
    const value = this.raw(name) ?? fallback;
    if (/^\d{1,2}$/.test(value)) return Number(value);
    const valid = value.split(',').every((item) => {
      const [address, prefix, ...rest] = item.trim().split('/');
      if (rest.length > 0) return false;
      if (prefix === undefined && ['loopback', 'linklocal', 'uniquelocal'].includes(address)) return true;
      const family = isIP(address);
      return family !== 0 && (prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128)));
    });
    if (!valid) {
      this.problems.push(`${name} must be a number of proxy hops or a list of loopback, linklocal, uniquelocal, IP addresses and subnets (got "${value}")`);
      return fallback;
    }
    return value;
  }

  optionalEmail(name: string): string | undefined {
    const value = this.raw(name);
    if (value !== undefined && !/^[^\s@<>"]+@[^\s@<>"]+$/.test(value)) this.problems.push(`${name} must be an email address (got "${value}")`);
    return value;
  }

  email(name: string, fallback: string): string {
    const value = this.raw(name) ?? fallback;
    if (!/^[^\s@<>"]+@[^\s@<>"]+$/.test(value)) this.problems.push(`${name} must be an email address (got "${value}")`);
    return value;
  }

  private checkUrl(name: string, value: string, protocols: string[]): string {
    try {
      const url = new URL(value);
      if (!protocols.includes(url.protocol)) {
        this.problems.push(`${name} must start with ${protocols.map((p) => `${p}//`).join(' or ')}`);
      }
    } catch {
      this.problems.push(`${name} is not a valid URL`);
    }
    return value;
  }
}
