import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { Company } from './company.entity';
import type { Locale } from '../../common/templates/locales';

@Entity('members')
export class Member {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Unique case-insensitively (index on lower(email)); stored as the member gave it. */
  @Column({ type: 'varchar' })
  email: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ name: 'company_id', type: 'uuid', nullable: true })
  companyId: string | null;

  @ManyToOne(() => Company, { nullable: true })
  @JoinColumn({ name: 'company_id' })
  company: Company | null;

  @Column({ name: 'cluster_code', type: 'varchar' })
  clusterCode: string;

  @Column({ type: 'varchar' })
  locale: Locale;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
