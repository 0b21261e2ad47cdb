import { readFileSync } from 'node:fs';
import { ParsedMail, simpleParser } from 'mailparser';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';

export interface CapturedMail {
  envelopeTo: string[];
  raw: string;
  parsed: ParsedMail;
}

/**
 * A real SMTP server (the smtp-server package) on a random local port, or on a given one (a
 * server brought back on the port of one that was stopped); it keeps every message it accepts.
 * `failNext` makes it answer the next deliveries with an SMTP error; `acceptDelayMs` makes it
 * take that long to accept each message (a slow server, so a batch is still going when it stops).
 */
export class Mailbox {
  readonly messages: CapturedMail[] = [];
  /** Messages whose content arrived but were answered with a simulated failure (failNext): what a retry must repeat. */
  readonly refused: CapturedMail[] = [];
  private server: SMTPServer | undefined;
  private failures: { code: number; count: number } | undefined;
  port = 0;
  acceptDelayMs = 0;

  async start(port = 0): Promise<this> {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      // stop(): the listener closes at once; open connections answer 421 to their next command and
      // are closed after this long (the default, 30 s, would keep idle pooled connections that long).
      closeTimeout: 1000,
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on(
          'end',
          () =>
            void this.delay().then(async () => {
              const raw = Buffer.concat(chunks).toString('utf8');
              const envelopeTo = session.envelope.rcptTo.map((rcpt) => rcpt.address);
              let parsed: ParsedMail;
              try {
                parsed = await simpleParser(raw);
              } catch (error) {
                callback(error as Error);
                return;
              }
              if (this.failures && this.failures.count > 0) {
                this.failures.count--;
                this.refused.push({ envelopeTo, raw, parsed });
                callback(Object.assign(new Error('simulated failure'), { responseCode: this.failures.code }));
                return;
              }
              this.messages.push({ envelopeTo, raw, parsed });
              callback();
            }),
        );
      },
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, '127.0.0.1', () => resolve());
    });
    this.port = (this.server as unknown as { server: { address(): AddressInfo } }).server.address().port;
    return this;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  private delay(): Promise<void> {
    return this.acceptDelayMs > 0 ? new Promise((resolve) => setTimeout(resolve, this.acceptDelayMs)) : Promise.resolve();
  }

  failNext(count: number, code: number): void {
    this.failures = { code, count };
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  to(address: string): CapturedMail[] {
    return this.messages.filter((mail) => mail.envelopeTo.some((to) => to.toLowerCase() === address.toLowerCase()));
  }

  /** Waits (polling, with a hard timeout) until `predicate` holds for the captured mail. */
  async waitFor(predicate: (messages: CapturedMail[]) => boolean, what: string, timeoutMs = 30_000): Promise<void> {
    await waitUntil(() => predicate(this.messages), `mail: ${what} (have ${this.messages.length} messages)`, timeoutMs);
  }
}

export async function waitUntil(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 30_000, intervalMs = 100): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

/** The personal /r/ link a mail carries to the app at `baseUrl`. */
export function personalLink(mail: CapturedMail, baseUrl: string): string {
  const match = new RegExp(`${baseUrl.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/r/[A-Za-z0-9_-]+`).exec(mail.parsed.text ?? '');
  if (!match) throw new Error(`no personal link in mail to ${mail.envelopeTo.join(', ')}`);
  return match[0];
}

/** The version of the consent notice the pages show today (the string tables hold it). */
const CONSENT_VERSION = JSON.parse(readFileSync(join(__dirname, '..', '..', 'templates', 'locales', 'ko.json'), 'utf8')).consent.version as string;

/**
 * Presses the button of a personal link's page as a person would: the page's form carries the
 * consent notice's version and, where consent is still needed, the ticked collection box (it is
 * ignored by links that need no consent). `fields` adds or overrides form fields.
 */
export function pressLink(link: string, fields: Record<string, string> = {}): Promise<Response> {
  return fetch(link, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ consent_version: CONSENT_VERSION, consent_collection: 'yes', ...fields }).toString(),
  });
}
