import { ParsedMail, simpleParser } from 'mailparser';
import { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface CapturedMail {
  envelopeTo: string[];
  raw: string;
  parsed: ParsedMail;
}

/**
 * A real SMTP server (the smtp-server package) on a random local port; it keeps every message
 * it accepts. `failNext` makes it answer the next deliveries with an SMTP error.
 */
export class Mailbox {
  readonly messages: CapturedMail[] = [];
  private server: SMTPServer | undefined;
  private failures: { code: number; count: number } | undefined;
  port = 0;

  async start(port = 0): Promise<this> {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          if (this.failures && this.failures.count > 0) {
            this.failures.count--;
            const error = Object.assign(new Error('simulated failure'), { responseCode: this.failures.code });
            callback(error);
            return;
          }
          const raw = Buffer.concat(chunks).toString('utf8');
          simpleParser(raw)
            .then((parsed) => {
              this.messages.push({ envelopeTo: session.envelope.rcptTo.map((rcpt) => rcpt.address), raw, parsed });
              callback();
            })
            .catch(callback);
        });
      },
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, '127.0.0.1', () => resolve());
    });
    this.port = ((this.server as unknown as { server: { address(): AddressInfo } }).server.address()).port;
    return this;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
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
