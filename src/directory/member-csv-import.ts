import { parse } from 'csv-parse/sync';
import { validateDto } from '../common/validation/validate-dto';
import { CreateMemberDto } from './dto/create-member.dto';
import { MemberInput } from './directory.service';

export const MEMBER_CSV_COLUMNS = ['email', 'name', 'company', 'cluster', 'locale'] as const;

export interface RejectedLine {
  line: number;
  reason: string;
}

export interface ParsedMemberCsv {
  accepted: MemberInput[];
  rejected: RejectedLine[];
}

/**
 * Reads a member CSV (header `email,name,company,cluster,locale`; locale may be empty for `ko`).
 * Every row is validated exactly like `POST /api/members`; `line` counts the file's lines
 * with the header as line 1, so an organizer can find the row in a spreadsheet.
 */
export async function parseMemberCsv(text: string): Promise<ParsedMemberCsv | { headerError: string }> {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, { bom: true, info: true, relax_column_count: true, skip_empty_lines: true, trim: true }) as unknown as typeof records;
  } catch (error) {
    return { headerError: `body is not valid CSV: ${(error as Error).message}` };
  }
  if (records.length === 0) return { headerError: `body must start with the header ${MEMBER_CSV_COLUMNS.join(',')}` };
  const header = records[0].record.map((column) => column.toLowerCase());
  const expected = MEMBER_CSV_COLUMNS.join(',');
  if (header.join(',') !== expected && header.join(',') !== MEMBER_CSV_COLUMNS.slice(0, 4).join(',')) {
    return { headerError: `header must be ${expected} (got ${header.join(',')})` };
  }

  const accepted: MemberInput[] = [];
  const rejected: RejectedLine[] = [];
  const firstLineOfEmail = new Map<string, number>();
  for (const { record, info } of records.slice(1)) {
    const line = info.lines;
    if (record.length > MEMBER_CSV_COLUMNS.length) {
      rejected.push({ line, reason: `has ${record.length} columns, expected at most ${MEMBER_CSV_COLUMNS.length}` });
      continue;
    }
    const [email, name, company, cluster, locale] = record;
    const { value, errors } = await validateDto(CreateMemberDto, {
      email,
      name,
      company,
      clusterCode: cluster?.toUpperCase(),
      locale: locale ? locale.toLowerCase() : undefined,
    });
    if (!value) {
      rejected.push({ line, reason: errors.join('; ').replace('clusterCode', 'cluster') });
      continue;
    }
    const key = value.email.toLowerCase();
    const earlier = firstLineOfEmail.get(key);
    if (earlier !== undefined) {
      rejected.push({ line, reason: `email ${value.email} already appears on line ${earlier}` });
      continue;
    }
    firstLineOfEmail.set(key, line);
    accepted.push({ ...value, locale: value.locale ?? 'ko' });
  }
  return { accepted, rejected };
}
