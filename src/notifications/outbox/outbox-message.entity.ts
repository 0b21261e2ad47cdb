import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { Locale } from '../../common/templates/locales';

export const MAIL_KINDS = [
  'invitation',
  'registration_opt_in',
  'registration_confirmed',
  'registration_waitlisted',
  'waitlist_promoted',
  'registration_cancelled',
  'event_updated',
  'event_cancelled',
  'reminder',
  // The console's sign-in link (no event: the only kind whose event_id is null).
  'sign_in',
  // Co-hosting: a co-host cluster's organizers are asked to approve; the proposer hears the answer.
  'approval_requested',
  'approval_answered',
] as const;
export type MailKind = (typeof MAIL_KINDS)[number];
/** `skipped`: the mail became moot before it went out (e.g. a reminder for an event cancelled meanwhile). */
export type OutboxStatus = 'pending' | 'sent' | 'failed' | 'skipped';

/** One mail to send, written in the same transaction as the state change that calls for it. */
@Entity('outbox')
export class OutboxMessage {
  @PrimaryGeneratedColumn('identity', { type: 'bigint' })
  id: string;

  @Column({ type: 'varchar' })
  kind: MailKind;

  /** Unique: the same (event, person, kind) can never be queued twice by accident. */
  @Column({ name: 'dedupe_key', type: 'text' })
  dedupeKey: string;

  /** Null only for a `sign_in` mail, which is about no event (a CHECK in the schema). */
  @Column({ name: 'event_id', type: 'uuid', nullable: true })
  eventId: string | null;

  @Column({ name: 'registration_id', type: 'uuid', nullable: true })
  registrationId: string | null;

  @Column({ name: 'member_id', type: 'uuid', nullable: true })
  memberId: string | null;

  @Column({ type: 'varchar' })
  recipient: string;

  @Column({ type: 'varchar' })
  locale: Locale;

  @Column({ type: 'jsonb' })
  payload: Record<string, unknown>;

  @Column({ type: 'varchar' })
  status: OutboxStatus;

  @Column({ type: 'integer' })
  attempts: number;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;

  @Column({ name: 'message_id', type: 'text', nullable: true })
  messageId: string | null;

  /** Random and fixed at insert: the job id, the Message-ID and the personal links of every attempt derive from it. */
  @Column({ name: 'message_key', type: 'uuid' })
  messageKey: string;

  /** How often an organizer put the row back to pending after it failed (part of its job id). */
  @Column({ type: 'integer', default: 0 })
  requeues: number;

  @Column({ name: 'enqueued_at', type: 'timestamptz', nullable: true })
  enqueuedAt: Date | null;

  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
