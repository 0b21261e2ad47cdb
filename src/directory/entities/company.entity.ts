import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('companies')
export class Company {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ name: 'cluster_code', type: 'varchar' })
  clusterCode: string;

  /** Lets a registrant who is not on the member list still count for their company's cluster. */
  @Column({ name: 'email_domains', type: 'text', array: true, default: () => "'{}'" })
  emailDomains: string[];

  /** 사업자등록번호, ten digits without dashes; null where the organizers have not recorded it. */
  @Column({ name: 'business_number', type: 'varchar', nullable: true })
  businessNumber: string | null;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  keywords: string[];

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
