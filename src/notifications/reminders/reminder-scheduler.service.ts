import { Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { afterCommit } from '../../database/after-commit';
import { EventChange, EventLifecycleHooks } from '../../events/event-lifecycle.hooks';
import { ReminderJobs } from './reminder-jobs';

/**
 * Keeps the reminder jobs in step with the event (api side): planned at publication, moved with
 * the start or new offsets, removed at cancellation. Queue changes are made after the event's
 * transaction commits (never for a change that rolled back); if the queue cannot be reached
 * then, ReminderPlanningJob plans them again from the events table.
 */
@Injectable()
export class ReminderScheduler implements OnModuleInit {
  constructor(
    private readonly hooks: EventLifecycleHooks,
    private readonly jobs: ReminderJobs,
  ) {}

  onModuleInit(): void {
    this.hooks.listen((manager, change) => Promise.resolve(this.onChange(manager, change)));
  }

  onChange(manager: EntityManager, change: EventChange): void {
    switch (change.kind) {
      case 'published':
        afterCommit(manager, () => this.jobs.schedule(change.event));
        return;
      case 'updated':
      case 'reminders_changed': {
        const { previous, event } = change;
        const sameStart = new Date(previous.startsAt).getTime() === new Date(event.startsAt).getTime();
        if (sameStart && String(previous.reminderOffsetsMinutes) === String(event.reminderOffsetsMinutes)) return;
        afterCommit(manager, () => this.jobs.reschedule(previous, event));
        return;
      }
      case 'cancelled':
        afterCommit(manager, () => this.jobs.unschedule(change.event));
        return;
    }
  }
}
