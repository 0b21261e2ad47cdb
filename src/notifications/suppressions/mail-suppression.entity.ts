import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

export type SuppressionReason = 'bounce' | 'unsubscribe';
/** `all`: no mail at all (the address bounced); `non_essential`: no invitations or reminders (unsubscribed). */
export type SuppressionScope = 'all' | 'non_essential';

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

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
