import type { EntityManager } from 'typeorm';
import type { DirectoryService } from '../../directory/directory.service';
import type { SeminarEvent } from '../../events/entities/event.entity';
import type { EventsService } from '../../events/events.service';
import type { OutboxEntry, OutboxService } from '../../notifications/outbox/outbox.service';
import type { Registration, RegistrationStatus } from '../entities/registration.entity';
import type { RegistrationsRepository } from '../registrations.repository';
import type { Seats } from '../seats/seats';
import { CancelRegistration, cancellationOf } from './cancel-registration';
import type { PromoteFromWaitlist } from './promote-from-waitlist';

describe('cancelling a registration', () => {
  it.each([
    ['confirmed', { cancel: true, mail: true, releasesSeat: true }],
    ['waitlisted', { cancel: true, mail: true, releasesSeat: false }],
    ['pending_confirmation', { cancel: true, mail: false, releasesSeat: false }],
    ['cancelled', { cancel: false, mail: false, releasesSeat: false }],
  ] as [RegistrationStatus, ReturnType<typeof cancellationOf>][])('of a %s registration: %j', (status, effects) => {
    expect(cancellationOf(status)).toEqual(effects);
  });

  /** The use case against fakes: what it asks of the repository, the seats and the outbox, in order. */
  function harness() {
    const calls: string[] = [];
    const mails: OutboxEntry[] = [];
    const registrations = {
      markCancelled: (_: EntityManager, id: string) => Promise.resolve(void calls.push(`cancel ${id}`)),
    } as unknown as RegistrationsRepository;
    const directory = { localeOf: () => Promise.resolve('en') } as unknown as DirectoryService;
    const seats = { release: () => Promise.resolve(void calls.push('release seat')) } as unknown as Seats;
    const promote = { fillFreeSeats: () => Promise.resolve((calls.push('promote'), 1)) } as unknown as PromoteFromWaitlist;
    const outbox = {
      queue: (_: EntityManager, entries: OutboxEntry[]) => Promise.resolve((mails.push(...entries), entries.length)),
    } as unknown as OutboxService;
    const useCase = new CancelRegistration(null as never, null as unknown as EventsService, registrations, directory, seats, promote, outbox);
    return { calls, mails, useCase };
  }
  const event = { id: 'e1' } as SeminarEvent;
  const registration = (status: RegistrationStatus) => ({ id: 'r1', status, memberId: 'm1', email: 'anna@example.com', name: 'Anna' }) as Registration;

  it('gives a confirmed seat back, moves the waiting list up and mails a cancellation in the member language', async () => {
    const { calls, mails, useCase } = harness();
    await useCase.execute({} as EntityManager, event, registration('confirmed'), 'attendee');
    expect(calls).toEqual(['cancel r1', 'release seat', 'promote']);
    expect(mails).toMatchObject([{ kind: 'registration_cancelled', registrationId: 'r1', locale: 'en', payload: { cancelledBy: 'attendee' } }]);
  });

  it('takes someone off the waiting list without touching seats', async () => {
    const { calls, mails, useCase } = harness();
    await useCase.execute({} as EntityManager, event, registration('waitlisted'), 'organizer');
    expect(calls).toEqual(['cancel r1']);
    expect(mails).toMatchObject([{ kind: 'registration_cancelled', payload: { cancelledBy: 'organizer' } }]);
  });

  it('leaves a cancelled registration alone', async () => {
    const { calls, mails, useCase } = harness();
    await useCase.execute({} as EntityManager, event, registration('cancelled'), 'attendee');
    expect([calls, mails]).toEqual([[], []]);
  });
});
