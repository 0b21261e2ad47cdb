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

/** Delayed jobs, one per (event, reminder offset, start time), that write the reminder mails when due. */
export const REMINDER_QUEUE = 'reminders';
export const REMIND_JOB = 'remind';

export interface RemindJob {
  eventId: string;
  offsetMinutes: number;
  /** The event's start (epoch ms) the reminder was planned for: a moved event has other jobs. */
  startsAtEpoch: number;
}
