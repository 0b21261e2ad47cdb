import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { Queue } from 'bullmq';
import { Gauge } from 'prom-client';
import { OutboxService } from '../notifications/outbox/outbox.service';
import { MAIL_QUEUE, QUOTA_RELEASE_QUEUE, REMINDER_PLANNING_QUEUE, REMINDER_QUEUE, RETENTION_QUEUE } from '../queue/queue.constants';
import { RegistrationCountsReader } from '../registrations/registration-counts.reader';
import { Metrics } from '../common/metrics/metrics.service';

const JOB_STATES = ['waiting', 'active', 'delayed', 'failed'] as const;

/**
 * The gauges read at scrape time, from the state every process shares: queue depth per queue and
 * state (from the queue backend), the outbox backlog and age of its oldest pending row, and
 * registrations by status (one GROUP BY). Nothing is polled between scrapes.
 */
@Injectable()
export class MetricsCollector implements OnModuleInit {
  constructor(
    private readonly metrics: Metrics,
    private readonly outbox: OutboxService,
    private readonly registrations: RegistrationCountsReader,
    @InjectQueue(MAIL_QUEUE) mail: Queue,
    @InjectQueue(REMINDER_QUEUE) reminders: Queue,
    @InjectQueue(QUOTA_RELEASE_QUEUE) quotaRelease: Queue,
    @InjectQueue(REMINDER_PLANNING_QUEUE) reminderPlanning: Queue,
    @InjectQueue(RETENTION_QUEUE) retention: Queue,
  ) {
    this.queues = [mail, reminders, quotaRelease, reminderPlanning, retention];
  }

  private readonly queues: Queue[];

  onModuleInit(): void {
    const queues = this.queues;
    const registry = this.metrics.registry;
    new Gauge({
      name: 'seminarhub_queue_jobs',
      help: 'Jobs in each queue by state (waiting, active, delayed, failed), read from the queue backend at scrape',
      labelNames: ['queue', 'state'],
      registers: [registry],
      async collect() {
        const counts = await Promise.all(queues.map((queue) => queue.getJobCounts(...JOB_STATES)));
        queues.forEach((queue, index) => {
          for (const state of JOB_STATES) this.set({ queue: queue.name, state }, counts[index][state] ?? 0);
        });
      },
    });
    const outbox = this.outbox;
    new Gauge({
      name: 'seminarhub_outbox_pending',
      help: 'Mails written to the outbox and not yet sent, failed or skipped',
      registers: [registry],
      async collect() {
        this.set((await outbox.backlog()).pending);
      },
    });
    new Gauge({
      name: 'seminarhub_outbox_oldest_pending_age_seconds',
      help: 'Age of the oldest pending outbox row (0 when none): a growing age means mail is stuck',
      registers: [registry],
      async collect() {
        this.set((await outbox.backlog()).oldestPendingSeconds ?? 0);
      },
    });
    const registrations = this.registrations;
    new Gauge({
      name: 'seminarhub_registrations',
      help: 'Registrations by status, all events',
      labelNames: ['status'],
      registers: [registry],
      async collect() {
        this.reset();
        for (const [status, count] of Object.entries(await registrations.countsByStatus())) this.set({ status }, count);
      },
    });
  }
}
