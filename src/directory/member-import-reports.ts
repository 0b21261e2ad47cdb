import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Principal } from '../auth/principal';
import { NotFoundError } from '../common/errors/domain-errors';
import type { RejectedLine } from './member-csv-import';
import type { ImportResult } from './use-cases/import-members';

/** Rejected lines kept with a report: enough to fix a file, bounded for a file that is wrong throughout. */
export const KEPT_REJECTED_LINES = 1000;

export interface MemberImportReport {
  id: string;
  organizerId: string | null;
  actor: string;
  fileName: string | null;
  created: number;
  updated: number;
  unchanged: number;
  rejectedCount: number;
  rejected: RejectedLine[];
  at: Date;
}

/** The reports of the console's member imports, so the page after an upload can show one (POST-redirect-GET). */
@Injectable()
export class MemberImportReports {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async save(principal: Principal, fileName: string | null, result: ImportResult): Promise<string> {
    const [{ id }] = await this.dataSource.query<{ id: string }[]>(
      `INSERT INTO member_imports (organizer_id, actor, file_name, created, updated, unchanged, rejected_count, rejected)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
      [
        principal.organizerId,
        principal.actor,
        fileName?.slice(0, 255) ?? null,
        result.created,
        result.updated,
        result.unchanged,
        result.rejected.length,
        JSON.stringify(result.rejected.slice(0, KEPT_REJECTED_LINES)),
      ],
    );
    return id;
  }

  /** A report its organizer (or an admin) may read; anyone else's is "not found", saying nothing of it. */
  async readableBy(principal: Principal, id: string): Promise<MemberImportReport> {
    const [row] = await this.dataSource.query<
      {
        id: string;
        organizer_id: string | null;
        actor: string;
        file_name: string | null;
        created: number;
        updated: number;
        unchanged: number;
        rejected_count: number;
        rejected: RejectedLine[];
        at: Date;
      }[]
    >(`SELECT * FROM member_imports WHERE id = $1`, [id]);
    if (!row || (principal.role !== 'admin' && row.organizer_id !== principal.organizerId)) throw new NotFoundError('import report');
    return {
      id: row.id,
      organizerId: row.organizer_id,
      actor: row.actor,
      fileName: row.file_name,
      created: row.created,
      updated: row.updated,
      unchanged: row.unchanged,
      rejectedCount: row.rejected_count,
      rejected: row.rejected,
      at: row.at,
    };
  }
}
