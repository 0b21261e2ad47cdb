import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity('clusters')
export class Cluster {
  @PrimaryColumn({ type: 'varchar' })
  code: string;

  @Column({ name: 'name_ko', type: 'text' })
  nameKo: string;

  @Column({ name: 'name_en', type: 'text' })
  nameEn: string;

  @Column({ name: 'sort_order', type: 'smallint' })
  sortOrder: number;
}
