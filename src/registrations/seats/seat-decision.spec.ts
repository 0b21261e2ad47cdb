import { registrantCluster } from '../../directory/registrant-cluster';
import { decideSeat, promotionsFrom, SeatEvent, SeatPool, TakenSeats } from './seat-decision';

const now = new Date('2027-03-01T00:00:00Z');
const later = new Date('2027-03-10T05:00:00Z');

/** Capacity 10: ICT reserves 4, DC reserves 3, so 3 seats are open; the release is still ahead. */
const event: SeatEvent = {
  capacity: 10,
  startsAt: later,
  quotaReleaseAt: new Date('2027-03-08T00:00:00Z'),
  quotaReleased: false,
  quotas: [
    { clusterCode: 'ICT', seats: 4 },
    { clusterCode: 'DC', seats: 3 },
  ],
};

interface Registrant {
  member: { clusterCode: string } | null;
  domainCompany: { clusterCode: string } | null;
}

const ictMember: Registrant = { member: { clusterCode: 'ICT' }, domainCompany: null };
const imtMember: Registrant = { member: { clusterCode: 'IMT' }, domainCompany: null };
/** Not on the member list, but writes from the domain of a DC member company. */
const dcByDomain: Registrant = { member: null, domainCompany: { clusterCode: 'DC' } };
/** Not on the member list, and no company holds the domain (an outside guest, or gmail.com). */
const outsider: Registrant = { member: null, domainCompany: null };

const seats = (quotaIct: number, quotaDc: number, open: number): TakenSeats[] => [
  { clusterCode: 'ICT', seatPool: 'quota', count: quotaIct },
  { clusterCode: 'DC', seatPool: 'quota', count: quotaDc },
  { clusterCode: 'IMT', seatPool: 'open', count: open },
];

describe('seat decision', () => {
  const cases: [string, Registrant, Partial<SeatEvent>, TakenSeats[], SeatPool | null][] = [
    ['own-cluster quota: a member takes a seat reserved for their cluster first', ictMember, {}, seats(0, 0, 0), 'quota'],
    ['own-cluster quota: the last reserved seat', ictMember, {}, seats(3, 3, 3), 'quota'],
    ['open pool: own quota used up, an open seat is left', ictMember, {}, seats(4, 0, 2), 'open'],
    ['open pool: a cluster with no quota takes open seats', imtMember, {}, seats(0, 0, 0), 'open'],
    ['waiting list: own quota and open pool used up, though DC still has reserved seats', ictMember, {}, seats(4, 0, 3), null],
    ['waiting list: a cluster with no quota once the open pool is used up', imtMember, {}, seats(0, 0, 3), null],
    ['waiting list: the event is full', ictMember, {}, seats(4, 3, 3), null],
    ['cluster by company email domain: a non-member of a DC company takes a DC reserved seat', dcByDomain, {}, seats(0, 0, 3), 'quota'],
    ['cluster by company email domain: and the open pool when DC quota is used up', dcByDomain, {}, seats(0, 3, 2), 'open'],
    ['non-member: only open seats, never reserved ones', outsider, {}, seats(0, 0, 0), 'open'],
    ['non-member: the waiting list once the open pool is used up, reserved seats free or not', outsider, {}, seats(0, 0, 3), null],
    ['after quota release (flag): unclaimed reserved seats are open to anyone', outsider, { quotaReleased: true }, seats(0, 0, 3), 'open'],
    ['after quota release (flag): a member whose quota is used up takes another cluster’s seat', ictMember, { quotaReleased: true }, seats(4, 0, 3), 'open'],
    ['after quota release (time reached, flag not yet set)', outsider, { quotaReleaseAt: new Date('2027-02-28T00:00:00Z') }, seats(0, 0, 3), 'open'],
    [
      'after quota release (default: 48 hours before the start)',
      outsider,
      { quotaReleaseAt: null, startsAt: new Date('2027-03-02T00:00:00Z') },
      seats(0, 0, 3),
      'open',
    ],
    ['before the default release (more than 48 hours ahead)', outsider, { quotaReleaseAt: null }, seats(0, 0, 3), null],
    ['after quota release, a full event is still full', ictMember, { quotaReleased: true }, seats(4, 3, 3), null],
    ['no quotas: every free seat is open', outsider, { quotas: [] }, [{ clusterCode: null, seatPool: 'open', count: 9 }], 'open'],
    ['no quotas: full', ictMember, { quotas: [] }, [{ clusterCode: null, seatPool: 'open', count: 10 }], null],
    ['no capacity: always a seat', outsider, { capacity: null }, [{ clusterCode: null, seatPool: 'open', count: 5000 }], 'open'],
  ];

  it.each(cases)('%s', (_, registrant, changes, taken, expected) => {
    const cluster = registrantCluster(registrant.member, registrant.domainCompany);
    expect(decideSeat({ ...event, ...changes }, taken, cluster, now)).toBe(expected);
  });

  it('counts a registrant by their member record before their email domain', () => {
    expect(registrantCluster({ clusterCode: 'ICT' }, { clusterCode: 'DC' })).toBe('ICT');
    expect(registrantCluster(null, { clusterCode: 'DC' })).toBe('DC');
    expect(registrantCluster(null, null)).toBeNull();
  });
});

describe('promotion from the waiting list', () => {
  it('while quotas hold, skips people no seat is free for and seats the next one it is free for', () => {
    const waiting = [
      { id: 'outsider', clusterCode: null },
      { id: 'dc-1', clusterCode: 'DC' },
      { id: 'dc-2', clusterCode: 'DC' },
      { id: 'ict', clusterCode: 'ICT' },
    ];
    // Open pool used up, one DC reserved seat and one ICT reserved seat free.
    expect(promotionsFrom(event, seats(3, 2, 3), waiting, now)).toEqual([
      { id: 'dc-1', pool: 'quota' },
      { id: 'ict', pool: 'quota' },
    ]);
  });

  it('after the release, seats in arrival order and stops at the first it cannot seat', () => {
    const released = { ...event, quotaReleased: true };
    const waiting = [
      { id: 'a', clusterCode: null },
      { id: 'b', clusterCode: 'DC' },
      { id: 'c', clusterCode: 'ICT' },
    ];
    expect(promotionsFrom(released, seats(4, 2, 2), waiting, now)).toEqual([
      { id: 'a', pool: 'open' },
      { id: 'b', pool: 'open' },
    ]);
  });

  it('without quotas, the first it cannot seat ends the walk', () => {
    const plain = { ...event, capacity: 2, quotas: [] };
    expect(
      promotionsFrom(
        plain,
        [{ clusterCode: null, seatPool: 'open', count: 1 }],
        [
          { id: 'a', clusterCode: null },
          { id: 'b', clusterCode: null },
        ],
        now,
      ),
    ).toEqual([{ id: 'a', pool: 'open' }]);
  });
});
