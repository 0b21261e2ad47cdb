import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** `manual`: added by an organizer (added_by says who). */
export type SuppressionReason = 'bounce' | 'unsubscribe' | 'manual';
/** `all`: no mail at all (the address bounced); `non_essential`: no invitations or reminders (unsubscribed). */
export const SUPPRESSION_SCOPES = ['all', 'non_essential'] as const;
export type SuppressionScope = (typeof SUPPRESSION_SCOPES)[number];

/** An address that gets no more mail, or no more non-essential mail. */
@Entity('mail_suppressions')
export class MailSuppression {
  /** Lower-cased. */
  @PrimaryColumn({ type: 'varchar' })
  email: string;

  @Column({ type: 'varchar' })
  reason: SuppressionReason;

  @Column({ type: 'varchar' })
  scope: SuppressionScope;

  @Column({ type: 'text', nullable: true })
  detail: string | null;

  @Column({ name: 'added_by', type: 'varchar', nullable: true })
  addedBy: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
