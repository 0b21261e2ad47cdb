import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { SeminarEvent } from './entities/event.entity';

/** A change of a published event that its registrants must hear about. */
export type EventChange =
  | { kind: 'updated'; event: SeminarEvent; previous: SeminarEvent; changed: string[] }
  | { kind: 'cancelled'; event: SeminarEvent; reason: string | null }
  | { kind: 'published'; event: SeminarEvent }
  /** Only the reminder times of a published event changed: nothing for attendees to see, no SEQUENCE bump. */
  | { kind: 'reminders_changed'; event: SeminarEvent; previous: SeminarEvent }
  /** A new draft names co-host clusters whose organizers must approve it; `proposer` is who asked (their email). */
  | { kind: 'approvals_requested'; event: SeminarEvent; clusters: string[]; proposer: string }
  /** A co-host answered; `proposer` (who asked) hears of it. */
  | {
      kind: 'approval_decided';
      event: SeminarEvent;
      cluster: string;
      status: 'approved' | 'declined';
      reason: string | null;
      proposer: string | null;
      decidedBy: string;
    };

export type EventChangeListener = (manager: EntityManager, change: EventChange) => Promise<void>;

/**
 * Lets modules that depend on events (registrations, reminders, the approval mails) act on an event's change inside
 * the same transaction, without the events module depending on them: a listener that writes
 * outbox rows makes the change and its notices commit together or not at all.
 */
@Injectable()
export class EventLifecycleHooks {
  private readonly listeners: EventChangeListener[] = [];

  listen(listener: EventChangeListener): void {
    this.listeners.push(listener);
  }

  async emit(manager: EntityManager, change: EventChange): Promise<void> {
    for (const listener of this.listeners) await listener(manager, change);
  }
}
