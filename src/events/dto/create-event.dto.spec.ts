import { validateDto } from '../../common/validation/validate-dto';
import { CreateSeriesDto } from '../series/dto/create-series.dto';
import { CreateEventDto } from './create-event.dto';
import { UpdateEventDto } from './update-event.dto';

const DAY_MS = 86_400_000;
/** An instant `days` from now, as the API takes it (UTC with Z). */
const inDays = (days: number) => new Date(Date.now() + days * DAY_MS).toISOString();

// Three months ahead, wherever the clock is: times are checked against now.
const valid = {
  title: 'AI × 콘텐츠 융합 세미나',
  type: 'seminar',
  startsAt: inDays(90),
  endsAt: new Date(Date.parse(inDays(90)) + 2 * 3600_000).toISOString(),
  hostClusters: ['ICT', 'DC'],
};

async function errorsOf(body: object): Promise<string[]> {
  return (await validateDto(CreateEventDto, body)).errors;
}

describe('CreateEventDto', () => {
  it('accepts a complete integrated seminar', async () => {
    const result = await validateDto(CreateEventDto, { ...valid, capacity: 50, quotas: [{ cluster: 'ICT', seats: 20 }], timezone: 'Europe/Berlin' });
    expect(result.errors).toEqual([]);
  });

  it('needs an offset on every time, so no time silently takes the server zone', async () => {
    expect(await errorsOf({ ...valid, startsAt: '2027-03-10T14:00:00' })).toContain(
      'startsAt must be an ISO 8601 date-time with an offset, e.g. 2027-03-10T14:00:00+09:00',
    );
  });

  it('names each field at fault', async () => {
    const errors = await errorsOf({ ...valid, type: 'party', timezone: 'Mars/Olympus', capacity: 0, hostClusters: [], onlineUrl: 'javascript:alert(1)' });
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^type must be one of/),
        'timezone must be an IANA time zone such as Asia/Seoul',
        expect.stringMatching(/^capacity must not be less than 1/),
        'hostClusters must name at least one cluster',
        'onlineUrl must be an http(s) URL',
      ]),
    );
  });

  it('refuses a title that would split a mail header', async () => {
    expect(await errorsOf({ ...valid, title: 'Seminar\r\nBcc: everyone@example.com' })).toContain('title must be a single line without control characters');
  });

  it('validates quotas one by one', async () => {
    expect(await errorsOf({ ...valid, capacity: 10, quotas: [{ cluster: 'MARS', seats: 0 }] })).toEqual(
      expect.arrayContaining([expect.stringMatching(/cluster must be one of/), expect.stringMatching(/seats must be at least 1/)]),
    );
  });

  describe('times within a sensible range of now', () => {
    const eventRange = (field: string) => `${field} must be between 1 year ago and 10 years from now`;
    const windowRange = (field: string) => `${field} must be between 10 years ago and 10 years from now`;

    it.each<[string, Record<string, unknown>, string]>([
      ['startsAt in the year 9999', { startsAt: '9999-03-10T14:00:00+09:00' }, eventRange('startsAt')],
      ['endsAt in the year 9999', { endsAt: '9999-12-31T23:59:59+09:00' }, eventRange('endsAt')],
      ['startsAt ten years and a day ahead', { startsAt: inDays(10 * 366 + 1) }, eventRange('startsAt')],
      ['startsAt more than a year ago', { startsAt: inDays(-367) }, eventRange('startsAt')],
      ['startsAt in the year 1900', { startsAt: '1900-01-01T00:00:00Z' }, eventRange('startsAt')],
      ['registrationOpensAt in 1970', { registrationOpensAt: '1970-01-01T00:00:00Z' }, windowRange('registrationOpensAt')],
      ['registrationClosesAt in the year 9999', { registrationClosesAt: '9999-01-01T00:00:00Z' }, windowRange('registrationClosesAt')],
      ['quotaReleaseAt in the year 9999', { quotaReleaseAt: '9999-01-01T00:00:00Z' }, windowRange('quotaReleaseAt')],
    ])('refuses %s, naming the field', async (_, change, message) => {
      expect(await errorsOf({ ...valid, ...change })).toEqual([message]);
    });

    it('accepts a meeting recorded after the fact, one nearly ten years ahead, and a quota released in the past', async () => {
      expect(await errorsOf({ ...valid, startsAt: inDays(-360), endsAt: inDays(-359) })).toEqual([]);
      expect(await errorsOf({ ...valid, startsAt: inDays(10 * 365 - 10), endsAt: inDays(10 * 365 - 9) })).toEqual([]);
      expect(await errorsOf({ ...valid, quotaReleaseAt: inDays(-400), registrationOpensAt: inDays(-400) })).toEqual([]);
    });

    it('reports a malformed time once, as malformed, not also as out of range', async () => {
      expect(await errorsOf({ ...valid, startsAt: '9999-03-10T14:00:00' })).toEqual([
        'startsAt must be an ISO 8601 date-time with an offset, e.g. 2027-03-10T14:00:00+09:00',
      ]);
    });

    it('checks the times a PATCH sends, and only those', async () => {
      expect((await validateDto(UpdateEventDto, { startsAt: '9999-03-10T14:00:00+09:00' })).errors).toEqual([eventRange('startsAt')]);
      expect((await validateDto(UpdateEventDto, { title: '새 제목' })).errors).toEqual([]);
      expect((await validateDto(UpdateEventDto, { registrationClosesAt: null })).errors).toEqual([]);
    });

    it('checks the first occurrence of a series the same way', async () => {
      const series = { ...valid, rrule: 'FREQ=WEEKLY;COUNT=3' };
      expect((await validateDto(CreateSeriesDto, series)).errors).toEqual([]);
      expect((await validateDto(CreateSeriesDto, { ...series, startsAt: '9999-03-10T14:00:00+09:00' })).errors).toEqual([eventRange('startsAt')]);
    });
  });
});
