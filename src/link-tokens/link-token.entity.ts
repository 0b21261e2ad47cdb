import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** What an emailed link may do. A token minted for one purpose is refused for any other. */
export type LinkTokenPurpose = 'accept_invitation' | 'confirm_registration' | 'manage_registration' | 'check_in' | 'unsubscribe' | 'sign_in';

/** A link token as stored: only the SHA-256 of the raw token, which lives in the email alone. */
@Entity('link_tokens')
export class LinkToken {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'token_hash', type: 'char', length: 64 })
  tokenHash: string;

  @Column({ type: 'varchar' })
  purpose: LinkTokenPurpose;

  @Column({ name: 'event_id', type: 'uuid', nullable: true })
  eventId: string | null;

  @Column({ name: 'member_id', type: 'uuid', nullable: true })
  memberId: string | null;

  @Column({ name: 'registration_id', type: 'uuid', nullable: true })
  registrationId: string | null;

  /** The address an `unsubscribe` link was mailed to: the one it unsubscribes; for `sign_in`, the organizer it signs in. */
  @Column({ type: 'varchar', nullable: true })
  email: string | null;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  @Column({ name: 'used_at', type: 'timestamptz', nullable: true })
  usedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
