import { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { SMTPServer } from 'smtp-server';

/**
 * A real SMTP server (the smtp-server package, as test/support/mailbox.ts) that only counts: it
 * reads each message to its end, answers 250 and keeps the recipient and the time of acceptance,
 * but does not parse the MIME (the test Mailbox runs mailparser on every message and keeps them
 * all, which would add its own CPU and heap to the figures of the process being measured).
 */
export class SmtpSink {
  private server: SMTPServer | undefined;
  private acceptedAt: number[] = [];
  private recipients = new Set<string>();
  private bytes = 0;
  port = 0;

  async start(): Promise<this> {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      // nodemailer's pool keeps up to 5 connections; leave room for more without letting it grow unbounded.
      maxClients: 200,
      onData: (stream, session, callback) => {
        stream.on('data', (chunk: Buffer) => (this.bytes += chunk.length));
        stream.on('end', () => {
          for (const rcpt of session.envelope.rcptTo) this.recipients.add(rcpt.address.toLowerCase());
          this.acceptedAt.push(performance.now());
          callback();
        });
      },
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(0, '127.0.0.1', () => resolve());
    });
    this.port = (this.server as unknown as { server: { address(): AddressInfo } }).server.address().port;
    return this;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  /** Forget what was counted: each benchmark counts its own mail. */
  reset(): void {
    this.acceptedAt = [];
    this.recipients = new Set();
    this.bytes = 0;
  }

  get count(): number {
    return this.acceptedAt.length;
  }

  get distinctRecipients(): number {
    return this.recipients.size;
  }

  get totalBytes(): number {
    return this.bytes;
  }

  /** performance.now() of the n-th accepted message (1-based), if there is one. */
  acceptedTime(n: number): number | undefined {
    return this.acceptedAt[n - 1];
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  }
}
