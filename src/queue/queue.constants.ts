/** The queue that carries outbox rows to the mail worker. */
export const MAIL_QUEUE = 'mail';
export const SEND_MAIL_JOB = 'send';

/**
 * The job id of an outbox row: its random message key, never its numeric id. Outbox ids start again
 * when a database is recreated or restored, or when two installations share a Redis, while BullMQ
 * keeps completed jobs for a week: a job id made from the row id would be taken for the old job
 * and the new mail silently dropped. BullMQ job ids must not be all digits nor contain ':'. A row
 * queued again (an organizer's retry, or the relay finding its job finished or gone while the row
 * is still pending) gets a new id (`-r<n>`), because adding a job under an existing id does nothing.
 */
export function mailJobId(messageKey: string, requeues = 0): string {
  return requeues > 0 ? `mail-${messageKey}-r${requeues}` : `mail-${messageKey}`;
}

export interface SendMailJob {
  outboxId: string;
  /** The X-Request-Id of the request that wrote the row, for the worker's log lines; absent for periodic work. */
  requestId?: string;
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

/** Periodic work (PeriodicJob): one queue each, one job scheduler in it, processed by the worker role. */
export const QUOTA_RELEASE_QUEUE = 'quota-release';
export const REMINDER_PLANNING_QUEUE = 'reminder-planning';
export const RETENTION_QUEUE = 'retention';
export const PERSONAL_DATA_RETENTION_QUEUE = 'personal-data-retention';

/** Every queue of the app: registered by QueueModule, shown on the queue board. */
export const ALL_QUEUES = [MAIL_QUEUE, REMINDER_QUEUE, QUOTA_RELEASE_QUEUE, REMINDER_PLANNING_QUEUE, RETENTION_QUEUE, PERSONAL_DATA_RETENTION_QUEUE] as const;
