import { validateDto } from '../../common/validation/validate-dto';
import { CreateEventDto } from './create-event.dto';

const valid = {
  title: 'AI × 콘텐츠 융합 세미나',
  type: 'seminar',
  startsAt: '2027-03-10T14:00:00+09:00',
  endsAt: '2027-03-10T16:00:00+09:00',
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
});
