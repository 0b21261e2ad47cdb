import 'reflect-metadata';
import { InvalidInputError } from '../common/errors/domain-errors';
import { MemberRow, readMemberCsv } from './member-csv-import';

describe('readMemberCsv', () => {
  const HEADER = 'email,name,company,cluster,locale';

  /** Reads `text` in pieces of `pieceLength` characters, as decodeTextChunks hands a body on. */
  async function read(text: string, batchRows = 1000, pieceLength = 7, allowedClusters?: string[]) {
    const pieces = Array.from({ length: Math.ceil(text.length / pieceLength) }, (_, i) => text.slice(i * pieceLength, (i + 1) * pieceLength));
    const batches: MemberRow[][] = [];
    const rejected = await readMemberCsv(pieces, async (batch) => void batches.push(batch), batchRows, allowedClusters);
    return { batches, rejected };
  }

  it('hands accepted rows on in batches, in file order, and reports each rejected line by its line in the file', async () => {
    const file = [
      HEADER,
      'seo@motion.example,서지훈,모션랩,imt,',
      '',
      'not-an-email,누구,회사,ICT,ko',
      '"lee@leaf.example","이초록",리프에너지,GREEN_IT,EN',
      'x@y.example,엑스,회사,MARS,ko',
      'SEO@Motion.example,서지훈,모션랩,IMT,ko',
      'wide@y.example,넓음,회사,ICT,ko,extra',
      'kim@hanbit.example,김민지,"한빛소프트, 판교",ICT,ko',
    ].join('\r\n');
    const { batches, rejected } = await read(file, 2);
    expect(batches).toEqual([
      [
        { line: 2, email: 'seo@motion.example', name: '서지훈', company: '모션랩', clusterCode: 'IMT', locale: 'ko' },
        { line: 5, email: 'lee@leaf.example', name: '이초록', company: '리프에너지', clusterCode: 'GREEN_IT', locale: 'en' },
      ],
      [{ line: 9, email: 'kim@hanbit.example', name: '김민지', company: '한빛소프트, 판교', clusterCode: 'ICT', locale: 'ko' }],
    ]);
    expect(rejected).toEqual([
      { line: 4, reason: 'email must be an email' },
      { line: 6, reason: 'cluster must be one of ICT, IMT, DC, GREEN_IT' },
      { line: 7, reason: 'email SEO@Motion.example already appears on line 2' },
      { line: 8, reason: 'has 6 columns, expected at most 5' },
    ]);
  });

  it("rejects, for a cluster organizer, rows naming a cluster that is not theirs, and merges a batch's own refusals in line order", async () => {
    const file = [HEADER, 'a@dc.example,에이,회사,DC,ko', 'b@ict.example,비,회사,ICT,ko', 'c@dc.example,씨,회사,dc,ko'].join('\n');
    const { batches, rejected } = await read(file, 1000, 7, ['DC']);
    expect(batches.flat().map((row) => row.line)).toEqual([2, 4]);
    expect(rejected).toEqual([{ line: 3, reason: 'cluster ICT is not one of your clusters (DC)' }]);
    const refusing = await readMemberCsv([file], async (batch) => [{ line: batch[0].line, reason: 'refused by the batch' }], 1, ['DC']);
    expect(refusing).toEqual([
      { line: 2, reason: 'refused by the batch' },
      { line: 3, reason: 'cluster ICT is not one of your clusters (DC)' },
      { line: 4, reason: 'refused by the batch' },
    ]);
  });

  it('takes the four-column header and a header in any case', async () => {
    const { batches } = await read('EMAIL,Name,company,CLUSTER\nseo@motion.example,서지훈,모션랩,IMT\n');
    expect(batches).toEqual([[{ line: 2, email: 'seo@motion.example', name: '서지훈', company: '모션랩', clusterCode: 'IMT', locale: 'ko' }]]);
  });

  it('refuses a wrong or missing header naming it, before any batch', async () => {
    const onBatch = jest.fn();
    await expect(readMemberCsv(['mail,name,company,cluster,locale\nseo@motion.example,서지훈,모션랩,IMT,ko\n'], onBatch)).rejects.toEqual(
      new InvalidInputError('header', 'must be email,name,company,cluster,locale (got mail,name,company,cluster,locale)'),
    );
    await expect(readMemberCsv(['\n\n'], onBatch)).rejects.toEqual(
      new InvalidInputError('body', 'must start with the header email,name,company,cluster,locale'),
    );
    expect(onBatch).not.toHaveBeenCalled();
  });

  it('fails on text that is no CSV even after batches were handed on (the caller rolls them back)', async () => {
    const rows = Array.from({ length: 25 }, (_, i) => `m${i}@x.example,이름${i},회사,DC,ko`);
    const batches: MemberRow[][] = [];
    const reading = readMemberCsv([[HEADER, ...rows, '"late@x.example,늦음,회사,DC,ko'].join('\n')], async (batch) => void batches.push(batch), 10);
    await expect(reading).rejects.toThrow(/^body is not valid CSV: /);
    expect(batches.length).toBeGreaterThanOrEqual(1);
  });

  it('passes on an error of the text it reads (a decoder that met bad bytes) and of a batch', async () => {
    function* text() {
      yield `${HEADER}\nm@x.example,이름,회사,DC,ko\n`;
      throw new Error('bytes that are no text');
    }
    await expect(readMemberCsv(text(), async () => undefined)).rejects.toThrow('bytes that are no text');
    const failing = readMemberCsv([`${HEADER}\nm@x.example,이름,회사,DC,ko\n`], async () => {
      throw new Error('database down');
    });
    await expect(failing).rejects.toThrow('database down');
  });

  it('lets other work run while it reads a large file', async () => {
    const rows = Array.from({ length: 20_000 }, (_, i) => `m${i}@x.example,이름 ${i},회사 ${i % 50},ICT,ko`);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    try {
      const { batches, rejected } = await read([HEADER, ...rows].join('\n'), 1000, 64 * 1024);
      expect(rejected).toEqual([]);
      expect(batches.map((batch) => batch.length)).toEqual(Array(20).fill(1000));
    } finally {
      clearInterval(timer);
    }
    // Reading 20,000 rows takes far longer than one turn: the timer ran in between, many times.
    expect(ticks).toBeGreaterThan(5);
  });
});
