import type { EntityManager } from 'typeorm';
import type { DirectoryService } from '../../directory/directory.service';
import type { SeminarEvent } from '../../events/entities/event.entity';
import type { OutboxEntry, OutboxService } from '../../notifications/outbox/outbox.service';
import type { Registration } from '../entities/registration.entity';
import type { RegistrationsRepository } from '../registrations.repository';
import type { SeatPool } from '../seats/seat-decision';
import type { Seats } from '../seats/seats';
import { ConfirmSeat } from './confirm-seat';

describe('confirming a seat', () => {
  /** `pool`: what the seat decision says; `counted`: whether the event's seat counter still takes one. */
  function harness(pool: SeatPool | null, counted: boolean) {
    const calls: string[] = [];
    const mails: OutboxEntry[] = [];
    const seats = {
      poolFor: () => Promise.resolve(pool),
      take: () => Promise.resolve((calls.push('take'), counted)),
    } as unknown as Seats;
    const registrations = {
      markConfirmed: (_: EntityManager, id: string, from: SeatPool) => Promise.resolve(void calls.push(`confirm ${id} from ${from}`)),
      markWaitlisted: (_: EntityManager, id: string) => Promise.resolve(void calls.push(`waitlist ${id}`)),
      waitlistPosition: () => Promise.resolve(4),
    } as unknown as RegistrationsRepository;
    const outbox = {
      queue: (_: EntityManager, entries: OutboxEntry[]) => Promise.resolve((mails.push(...entries), entries.length)),
    } as unknown as OutboxService;
    return { calls, mails, useCase: new ConfirmSeat(seats, registrations, {} as DirectoryService, outbox) };
  }
  const event = { id: 'e1' } as SeminarEvent;
  const registration = { id: 'r1', memberId: null, email: 'guest@example.com', name: 'Guest', clusterCode: 'ICT' } as Registration;

  it('confirms on the pool the seat decision gives, and mails the confirmation', async () => {
    const { calls, mails, useCase } = harness('quota', true);
    expect(await useCase.execute({} as EntityManager, event, registration, 'ko')).toBe('confirmed');
    expect(calls).toEqual(['take', 'confirm r1 from quota']);
    expect(mails).toMatchObject([{ kind: 'registration_confirmed', locale: 'ko', payload: { registrationStatus: 'confirmed' } }]);
  });

  it('waitlists when no seat is free for the registrant, with their place in the mail', async () => {
    const { calls, mails, useCase } = harness(null, true);
    expect(await useCase.execute({} as EntityManager, event, registration, 'en')).toBe('waitlisted');
    expect(calls).toEqual(['waitlist r1']);
    expect(mails).toMatchObject([{ kind: 'registration_waitlisted', locale: 'en', payload: { position: 4, registrationStatus: 'waitlisted' } }]);
  });

  it('waitlists when the seat counter refuses (the capacity is the last word)', async () => {
    const { calls, useCase } = harness('open', false);
    expect(await useCase.execute({} as EntityManager, event, registration, 'ko')).toBe('waitlisted');
    expect(calls).toEqual(['take', 'waitlist r1']);
  });
});
