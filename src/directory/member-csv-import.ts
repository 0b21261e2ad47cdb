import { CsvError, parse } from 'csv-parse';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { InvalidInputError } from '../common/errors/domain-errors';
import { validateDto } from '../common/validation/validate-dto';
import { CreateMemberDto } from './dto/create-member.dto';
import type { MemberInput } from './directory.service';
import { DEFAULT_LOCALE } from '../common/templates/locales';

export const MEMBER_CSV_COLUMNS = ['email', 'name', 'company', 'cluster', 'locale'] as const;

/**
 * Rows written per statement. A batch's columns travel as five array parameters, so PostgreSQL's
 * 65,535 bind parameters do not bound it; this bounds one statement's work and the rows held at once.
 */
export const MEMBER_IMPORT_BATCH_ROWS = 1000;

/**
 * How long reading the file may keep the event loop before it lets other requests in. Reading and
 * validating 100,000 rows takes seconds of CPU; in turns of this length /health answers at once.
 */
const TURN_MS = 20;

export interface RejectedLine {
  line: number;
  reason: string;
}

/** An accepted row and the file line it came from, so a batch that refuses it can say where. */
export interface MemberRow extends MemberInput {
  line: number;
}

type CsvRecord = { record: string[]; info: { lines: number } };

/**
 * Reads a member CSV (header `email,name,company,cluster,locale`; locale may be empty for `ko`) as
 * it streams in, and hands the accepted rows on in batches of `batchRows`, in file order. Every row
 * is validated exactly like `POST /api/members`; a bad row is rejected (and reported), the others
 * still count. `line` counts the file's lines with the header as line 1, so an organizer can find
 * the row in a spreadsheet. An email seen on an earlier accepted line (in any case) is rejected.
 *
 * With `allowedClusters` (a cluster organizer's), a row naming another cluster is rejected too;
 * `onBatch` may refuse rows of its batch in turn (a member of another cluster), by line.
 *
 * A wrong header, text that is no CSV (an unclosed quote), or an error of the text's decoder or of
 * `onBatch` ends the reading with that error, possibly after some batches were handed on: the
 * caller runs it in a transaction, so a file is imported whole or not at all.
 */
export async function readMemberCsv(
  text: Iterable<string>,
  onBatch: (batch: MemberRow[]) => Promise<RejectedLine[] | void>,
  batchRows = MEMBER_IMPORT_BATCH_ROWS,
  allowedClusters?: readonly string[],
): Promise<RejectedLine[]> {
  const rejected: RejectedLine[] = [];
  const handOn = async (rows: MemberRow[]) => {
    const refused = await onBatch(rows);
    if (refused) rejected.push(...refused);
  };
  const firstLineOfEmail = new Map<string, number>();
  let batch: MemberRow[] = [];
  let headerSeen = false;
  let turnStarted = performance.now();

  const readRecords = async (records: AsyncIterable<CsvRecord>) => {
    for await (const { record, info } of records) {
      if (!headerSeen) {
        checkHeader(record);
        headerSeen = true;
        continue;
      }
      const row = await memberRow(record, info.lines, firstLineOfEmail, allowedClusters);
      if ('reason' in row) {
        rejected.push(row);
      } else {
        batch.push(row);
        if (batch.length >= batchRows) {
          await handOn(batch);
          batch = [];
        }
      }
      if (performance.now() - turnStarted > TURN_MS) {
        await nextTurn();
        turnStarted = performance.now();
      }
    }
  };

  try {
    // Streaming: the parser holds a chunk of text and its records, never a second copy of the file.
    await pipeline(Readable.from(text), parse({ bom: true, info: true, relax_column_count: true, skip_empty_lines: true, trim: true }), readRecords);
  } catch (error) {
    if (error instanceof CsvError) throw new InvalidInputError('body', `is not valid CSV: ${error.message}`);
    throw error;
  }
  if (!headerSeen) throw new InvalidInputError('body', `must start with the header ${MEMBER_CSV_COLUMNS.join(',')}`);
  if (batch.length > 0) await handOn(batch);
  // Batches may refuse rows after later lines were rejected by the reader: the report reads in file order.
  return rejected.sort((a, b) => a.line - b.line);
}

function checkHeader(record: string[]): void {
  const header = record.map((column) => column.toLowerCase()).join(',');
  const expected = MEMBER_CSV_COLUMNS.join(',');
  if (header !== expected && header !== MEMBER_CSV_COLUMNS.slice(0, 4).join(',')) {
    throw new InvalidInputError('header', `must be ${expected} (got ${header})`);
  }
}

async function memberRow(
  record: string[],
  line: number,
  firstLineOfEmail: Map<string, number>,
  allowedClusters: readonly string[] | undefined,
): Promise<MemberRow | RejectedLine> {
  if (record.length > MEMBER_CSV_COLUMNS.length) {
    return { line, reason: `has ${record.length} columns, expected at most ${MEMBER_CSV_COLUMNS.length}` };
  }
  const [email, name, company, cluster, locale] = record;
  const { value, errors } = await validateDto(CreateMemberDto, {
    email,
    name,
    company,
    clusterCode: cluster?.toUpperCase(),
    locale: locale ? locale.toLowerCase() : undefined,
  });
  if (!value) return { line, reason: errors.join('; ').replace('clusterCode', 'cluster') };
  if (allowedClusters && !allowedClusters.includes(value.clusterCode)) {
    return { line, reason: `cluster ${value.clusterCode} is not one of your clusters (${allowedClusters.join(', ')})` };
  }
  const key = value.email.toLowerCase();
  const earlier = firstLineOfEmail.get(key);
  if (earlier !== undefined) return { line, reason: `email ${value.email} already appears on line ${earlier}` };
  firstLineOfEmail.set(key, line);
  return { line, email: value.email, name: value.name, company: value.company, clusterCode: value.clusterCode, locale: value.locale ?? DEFAULT_LOCALE };
}
