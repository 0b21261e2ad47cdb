import { InvalidInputError } from '../common/errors/domain-errors';
import { reportCsv, ReportsService } from './reports.service';
import type { ReportsReader } from './reports.reader';

describe('ReportsService', () => {
  function harness() {
    const asked: unknown[][] = [];
    const reader = {
      participationMatrix: (...args: unknown[]) => Promise.resolve((asked.push(args), [])),
      crossCluster: () => Promise.resolve({ cross: 0, known: 0 }),
      growth: () =>
        Promise.resolve([
          { month: '2027-01', cluster: 'ICT', companies: 1, members: 2 },
          { month: '2027-01', cluster: 'DC', companies: 0, members: 0 },
          { month: '2027-02', cluster: 'ICT', companies: 2, members: 3 },
          { month: '2027-02', cluster: 'DC', companies: 1, members: 1 },
        ]),
    } as unknown as ReportsReader;
    return { asked, service: new ReportsService(reader) };
  }

  it('reads a bare date as midnight in Seoul and gives no share when nothing is known', async () => {
    const { asked, service } = harness();
    expect(await service.participation('2027-03-01', '2027-04-01T00:00:00Z', ['DC'])).toEqual({ matrix: [], crossClusterShare: null });
    expect(asked).toEqual([[new Date('2027-02-28T15:00:00Z'), new Date('2027-04-01T00:00:00Z'), ['DC']]]);
  });

  it('refuses a period that ends before it starts, and months in the wrong order or too many', async () => {
    const { service } = harness();
    await expect(service.participation('2027-04-01', '2027-03-01', null)).rejects.toThrow(InvalidInputError);
    await expect(service.growth('2027-03', '2027-01', null)).rejects.toThrow(InvalidInputError);
    await expect(service.growth('2000-01', '2027-01', null)).rejects.toThrow(InvalidInputError);
  });

  it('groups growth rows by month, in the order the reader gives', async () => {
    const { service } = harness();
    expect(await service.growth('2027-01', '2027-02', null)).toEqual({
      target: 1000,
      months: [
        {
          month: '2027-01',
          clusters: [
            { cluster: 'ICT', companies: 1, members: 2 },
            { cluster: 'DC', companies: 0, members: 0 },
          ],
        },
        {
          month: '2027-02',
          clusters: [
            { cluster: 'ICT', companies: 2, members: 3 },
            { cluster: 'DC', companies: 1, members: 1 },
          ],
        },
      ],
    });
  });

  it('writes CSV with a BOM, CRLF and formula-like names neutralised', () => {
    const csv = reportCsv.sigCoverage({
      clusters: [
        {
          cluster: 'ICT',
          companies: 2,
          companiesInSig: 0,
          companiesWithoutSig: [
            { id: 'a', name: '=cmd' },
            { id: 'b', name: '한빛' },
          ],
        },
      ],
    });
    expect(csv).toBe("\uFEFFcluster,companies,companies_in_sig,companies_without_sig\r\nICT,2,0,'=cmd; 한빛\r\n");
  });
});
