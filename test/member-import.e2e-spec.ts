import * as iconv from 'iconv-lite';
import { client } from './support/http';
import { startTestApp, TestApp } from './support/test-app';

/**
 * POST /api/members/import with what organizers really send: files saved by Korean Excel, whose
 * "CSV" is CP949. One app on real PostgreSQL for the file; each test counts what it stored.
 */
describe('member import: Korean Excel files (postgres queue backend)', () => {
  let t: TestApp;
  let api: ReturnType<typeof client>;
  const HEADER = 'email,name,company,cluster,locale';

  beforeAll(async () => {
    t = await startTestApp({ queue: 'postgres' });
    api = client(t.url, t.adminToken);
  });
  afterAll(async () => {
    await t?.close();
  });

  async function count(table: 'members' | 'companies'): Promise<number> {
    const { rows } = await t.db.query(`SELECT count(*)::int AS n FROM ${table}`);
    return rows[0].n;
  }

  async function memberNamed(email: string): Promise<{ name: string; company: string; cluster_code: string } | undefined> {
    const { rows } = await t.db.query(
      `SELECT m.name, c.name AS company, m.cluster_code FROM members m JOIN companies c ON c.id = m.company_id WHERE lower(m.email) = lower($1)`,
      [email],
    );
    return rows[0];
  }

  /** Korean Excel's "CSV (쉼표로 분리)": the same text, in CP949. */
  const cp949 = (text: string): Buffer => iconv.encode(text, 'cp949');

  describe('encodings', () => {
    const ROWS = [
      'minji@hanbit.example,김민지,한빛소프트,ICT,ko',
      // 똠, 햏 and 쀍 are in CP949's extension (UHC), not in plain EUC-KR (KS X 1001).
      'ddom@hanbit.example,김똠,햏소프트,DC,ko',
      'ppwel@hanbit.example,이쀍,햏소프트,DC,en',
    ];
    const file = (rows: string[]) => [HEADER, ...rows].join('\r\n') + '\r\n';
    /** The same rows under other addresses, so each test creates its own members. */
    const renamed = (prefix: string) => ROWS.map((row) => `${prefix}.${row}`);

    async function expectStored(prefix: string): Promise<void> {
      expect(await memberNamed(`${prefix}.minji@hanbit.example`)).toEqual({ name: '김민지', company: '한빛소프트', cluster_code: 'ICT' });
      expect(await memberNamed(`${prefix}.ddom@hanbit.example`)).toEqual({ name: '김똠', company: '햏소프트', cluster_code: 'DC' });
      expect(await memberNamed(`${prefix}.ppwel@hanbit.example`)).toEqual({ name: '이쀍', company: '햏소프트', cluster_code: 'DC' });
    }

    it('reads a CP949 file labelled charset=cp949, UHC syllables included, and a second import changes nothing', async () => {
      const body = cp949(file(renamed('a')));
      const answer = await api.post('/api/members/import', body, { contentType: 'text/csv; charset=cp949' });
      expect({ status: answer.status, body: answer.body }).toEqual({ status: 200, body: { created: 3, updated: 0, rejected: [] } });
      await expectStored('a');
      expect((await api.post('/api/members/import', body, { contentType: 'text/csv; charset=cp949' })).body).toEqual({ created: 0, updated: 0, rejected: [] });
    });

    it.each(['euc-kr', 'EUC-KR', 'ks_c_5601-1987', '"ks_c_5601-1987"', 'windows-949'].map((label, i) => [label, `l${i}`]))(
      'reads a CP949 file labelled charset=%s (what Windows calls it)',
      async (label, prefix) => {
      const answer = await api.post('/api/members/import', cp949(file(renamed(prefix))), { contentType: `text/csv; charset=${label}` });
      expect({ status: answer.status, body: answer.body }).toEqual({ status: 200, body: { created: 3, updated: 0, rejected: [] } });
      await expectStored(prefix);
      },
    );

    it('detects a CP949 file sent without a charset (as Korean Excel saved it)', async () => {
      const answer = await api.post('/api/members/import', cp949(file(renamed('b'))), { contentType: 'text/csv' });
      expect({ status: answer.status, body: answer.body }).toEqual({ status: 200, body: { created: 3, updated: 0, rejected: [] } });
      await expectStored('b');
    });

    it('reads UTF-8 with and without a BOM, with and without charset=utf-8', async () => {
      const bom = Buffer.from([0xef, 0xbb, 0xbf]);
      const sent: [string, Buffer, string][] = [
        ['c', Buffer.from(file(renamed('c'))), 'text/csv'],
        ['d', Buffer.concat([bom, Buffer.from(file(renamed('d')))]), 'text/csv'],
        ['e', Buffer.from(file(renamed('e'))), 'text/csv; charset=utf-8'],
        ['f', Buffer.concat([bom, Buffer.from(file(renamed('f')))]), 'text/csv; charset=UTF-8'],
      ];
      for (const [prefix, body, contentType] of sent) {
        const answer = await api.post('/api/members/import', body, { contentType });
        expect({ prefix, status: answer.status, body: answer.body }).toEqual({ prefix, status: 200, body: { created: 3, updated: 0, rejected: [] } });
        await expectStored(prefix);
      }
    });

    it('answers 415 naming a charset it does not read, and stores nothing', async () => {
      const before = await count('members');
      const answer = await api.post('/api/members/import', Buffer.from(file(renamed('g'))), { contentType: 'text/csv; charset=shift_jis' });
      expect(answer.status).toBe(415);
      expect(answer.body).toEqual({ statusCode: 415, error: 'Unsupported Media Type', message: [expect.stringContaining('shift_jis')] });
      expect(answer.body.message[0]).toMatch(/UTF-8.*CP949/);
      expect(await count('members')).toBe(before);
    });

    it('answers 400 for bytes that are text in neither UTF-8 nor CP949, and stores nothing (no U+FFFD names)', async () => {
      const before = await count('members');
      const companiesBefore = await count('companies');
      // 0xFF is no byte of either; 0xC9 0xA1 is CP949's user-defined area, which maps to no character.
      for (const bad of [[0xff], [0xc9, 0xa1], [0xb1]]) {
        const body = Buffer.concat([cp949(file(renamed('h'))), cp949('bad@hanbit.example,김'), Buffer.from(bad), cp949(',한빛소프트,ICT,ko\r\n')]);
        const guessed = await api.post('/api/members/import', body, { contentType: 'text/csv' });
        expect({ status: guessed.status, body: guessed.body }).toEqual({
          status: 400,
          body: { statusCode: 400, error: 'Bad Request', message: [expect.stringMatching(/^body is neither UTF-8 nor CP949 \(EUC-KR\) text/)] },
        });
        const labelled = await api.post('/api/members/import', body, { contentType: 'text/csv; charset=cp949' });
        expect({ status: labelled.status, body: labelled.body }).toEqual({
          status: 400,
          body: { statusCode: 400, error: 'Bad Request', message: [expect.stringMatching(/^body is not CP949 \(EUC-KR\) text/)] },
        });
        expect(labelled.body.message[0]).toContain('line 5');
      }
      expect(await count('members')).toBe(before);
      expect(await count('companies')).toBe(companiesBefore);
    });

    it('answers 400 for a CP949 file labelled charset=utf-8, and stores nothing', async () => {
      const before = await count('members');
      const answer = await api.post('/api/members/import', cp949(file(renamed('i'))), { contentType: 'text/csv; charset=utf-8' });
      expect({ status: answer.status, body: answer.body }).toEqual({
        status: 400,
        body: { statusCode: 400, error: 'Bad Request', message: [expect.stringMatching(/^body is not UTF-8 text/)] },
      });
      expect(await count('members')).toBe(before);
    });
  });
});

