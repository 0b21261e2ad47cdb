import { Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { SeminarEvent } from '../events/entities/event.entity';
import { EventChange, EventLifecycleHooks } from '../events/event-lifecycle.hooks';
import { OutboxEntry, OutboxService } from '../notifications/outbox/outbox.service';
import type { Registrant } from '../notifications/registrations.port';
import { RegistrantsReader } from './registrants.reader';

/** What the update mail compares: the event as registrants saw it before and after one change. */
export interface EventSnapshot {
  title: string;
  description: string | null;
  startsAt: string;
  endsAt: string;
  timezone: string;
  venue: string | null;
  onlineUrl: string | null;
}

function snapshot(event: SeminarEvent): EventSnapshot {
  return {
    title: event.title,
    description: event.description,
    startsAt: new Date(event.startsAt).toISOString(),
    endsAt: new Date(event.endsAt).toISOString(),
    timezone: event.timezone,
    venue: event.venue,
    onlineUrl: event.onlineUrl,
  };
}

/**
 * Tells the people registered for an event (confirmed and waitlisted) about its changes: an
 * updated invitation (METHOD:REQUEST, the bumped SEQUENCE) when something they see changes, a
 * cancellation (METHOD:CANCEL) when the event is cancelled. The outbox rows are written inside
 * transaction of the event's change (UpdateEvent, CancelEvent), through EventLifecycleHooks, so the change and its notices commit
 * together.
 */
@Injectable()
export class EventChangeNoticesService implements OnModuleInit {
  constructor(
    private readonly hooks: EventLifecycleHooks,
    private readonly outbox: OutboxService,
    private readonly registrants: RegistrantsReader,
  ) {}

  onModuleInit(): void {
    this.hooks.listen((manager, change) => this.onChange(manager, change));
  }

  async onChange(manager: EntityManager, change: EventChange): Promise<void> {
    let entries: OutboxEntry[] = [];
    if (change.kind === 'updated') entries = await this.updated(manager, change.event, change.previous, change.changed);
    if (change.kind === 'cancelled') entries = await this.cancelled(manager, change.event, change.reason);
    await this.outbox.queue(manager, entries);
  }

  private async updated(manager: EntityManager, event: SeminarEvent, previous: SeminarEvent, changed: string[]): Promise<OutboxEntry[]> {
    // Only a change that bumped SEQUENCE is one attendees must see in their calendar.
    if (event.sequence === previous.sequence) return [];
    const registrants = await this.registrants.registrantsOf(manager, event.id, ['confirmed', 'waitlisted']);
    const before = snapshot(previous);
    const after = snapshot(event);
    return registrants.map((registrant) => this.entry('event_updated', event, registrant, { changed, previous: before, current: after }));
  }

  private async cancelled(manager: EntityManager, event: SeminarEvent, reason: string | null): Promise<OutboxEntry[]> {
    const registrants = await this.registrants.registrantsOf(manager, event.id, ['confirmed', 'waitlisted']);
    return registrants.map((registrant) => this.entry('event_cancelled', event, registrant, { reason }));
  }

  private entry(kind: 'event_updated' | 'event_cancelled', event: SeminarEvent, registrant: Registrant, payload: Record<string, unknown>): OutboxEntry {
    return {
      kind,
      // One notice per person and calendar version: a retried hook never mails twice.
      dedupeKey: `${kind}:${registrant.id}:${event.sequence}`,
      eventId: event.id,
      registrationId: registrant.id,
      memberId: registrant.memberId,
      recipient: registrant.email,
      recipientName: registrant.name,
      locale: registrant.locale,
      payload: { ...payload, sequence: event.sequence, registrationStatus: registrant.status },
    };
  }
}
