import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Env } from './env-reader';

export interface DkimConfig {
  domainName: string;
  keySelector: string;
  /** The PEM of the RSA (or Ed25519) private key. */
  privateKey: string;
}

/**
 * DKIM signing: all of domain, selector and key, or none of them. A half-configured signer would
 * either fail every mail or silently send unsigned ones, so a partial set stops the start naming
 * what is missing. The key is checked to parse here, not at the first mail.
 */
export function readDkim(env: Env, problems: string[]): DkimConfig | undefined {
  const value = (name: string) => env[name]?.trim() || undefined;
  const domainName = value('DKIM_DOMAIN');
  const keySelector = value('DKIM_SELECTOR');
  const inlineKey = value('DKIM_PRIVATE_KEY');
  const keyFile = value('DKIM_PRIVATE_KEY_FILE');
  if (inlineKey && keyFile) {
    problems.push('DKIM_PRIVATE_KEY and DKIM_PRIVATE_KEY_FILE are both set: give the key one way');
    return undefined;
  }
  const given = { DKIM_DOMAIN: domainName, DKIM_SELECTOR: keySelector, 'DKIM_PRIVATE_KEY (or DKIM_PRIVATE_KEY_FILE)': inlineKey ?? keyFile };
  const missing = Object.entries(given)
    .filter(([, v]) => v === undefined)
    .map(([name]) => name);
  if (missing.length === 3) return undefined;
  if (missing.length > 0) {
    problems.push(`DKIM signing needs DKIM_DOMAIN, DKIM_SELECTOR and DKIM_PRIVATE_KEY (or DKIM_PRIVATE_KEY_FILE) together; missing: ${missing.join(', ')}`);
    return undefined;
  }
  if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/i.test(domainName!))
    problems.push(`DKIM_DOMAIN must be a domain name (got "${domainName}")`);
  if (!/^[a-z0-9]([a-z0-9._-]*[a-z0-9])?$/i.test(keySelector!)) problems.push(`DKIM_SELECTOR must be a DNS label such as "mail2026" (got "${keySelector}")`);
  let privateKey = inlineKey;
  if (keyFile) {
    try {
      privateKey = readFileSync(keyFile, 'utf8');
    } catch (error) {
      problems.push(`DKIM_PRIVATE_KEY_FILE cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
      return undefined;
    }
  }
  // An env var often carries the PEM with literal \n for its line breaks.
  privateKey = privateKey!.replace(/\\n/g, '\n');
  try {
    createPrivateKey(privateKey);
  } catch {
    // Never the key itself in the message.
    problems.push(`${keyFile ? 'DKIM_PRIVATE_KEY_FILE' : 'DKIM_PRIVATE_KEY'} is not a PEM private key`);
    return undefined;
  }
  return { domainName: domainName!, keySelector: keySelector!, privateKey };
}
