/** The queue that carries outbox rows to the mail worker. */
export const MAIL_QUEUE = 'mail';
export const SEND_MAIL_JOB = 'send';

/** BullMQ job ids must not be all digits nor contain ':', so the outbox row id gets a prefix. */
export function mailJobId(outboxId: string): string {
  return `outbox-${outboxId}`;
}

export interface SendMailJob {
  outboxId: string;
}
