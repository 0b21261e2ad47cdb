/** The queue that carries outbox rows to the mail worker. */
export const MAIL_QUEUE = 'mail';
export const SEND_MAIL_JOB = 'send';

/**
 * BullMQ job ids must not be all digits nor contain ':', so the outbox row id gets a prefix. A row
 * that an organizer requeued after it failed gets a new id (`-r<n>`): its failed job keeps the old
 * one in the queue, and adding a job under an existing id does nothing.
 */
export function mailJobId(outboxId: string, requeues = 0): string {
  return requeues > 0 ? `outbox-${outboxId}-r${requeues}` : `outbox-${outboxId}`;
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
