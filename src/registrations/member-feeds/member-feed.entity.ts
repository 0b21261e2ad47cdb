import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A member's personal calendar feed: at most one live URL per member. Only the SHA-256 of the
 * token is stored (hashToken, as for emailed links); the raw token is shown once, in the answer
 * that makes it. A new feed replaces the hash, so the previous URL is dead at once.
 */
@Entity('member_feeds')
export class MemberFeed {
  @PrimaryColumn({ name: 'member_id', type: 'uuid' })
  memberId: string;

  @Column({ name: 'token_hash', type: 'char', length: 64 })
  tokenHash: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt: Date | null;
}
