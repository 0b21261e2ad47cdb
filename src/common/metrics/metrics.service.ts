import { Injectable } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

export type MailOutcome = 'sent' | 'failed' | 'suppressed';
export type JobOutcome = 'completed' | 'failed';

/**
 * The process's Prometheus instruments, in a registry of its own (not prom-client's global one:
 * the e2e suites start several apps in one process, and each must count only its own work).
 * Counters are per process: scraped from the api, they count what that process did (all of it
 * in ROLE=all). Gauges read from the database and the queue at scrape time are added by
 * MetricsCollector, which only the api role loads.
 */
@Injectable()
export class Metrics {
  readonly registry = new Registry();

  private readonly mails = new Counter({
    name: 'seminarhub_mails_total',
    help: 'Mails handled by the mail worker of this process, by outcome (sent, failed attempt, suppressed)',
    labelNames: ['outcome'],
    registers: [this.registry],
  });

  private readonly jobs = new Counter({
    name: 'seminarhub_jobs_total',
    help: 'BullMQ jobs finished by the workers of this process, by queue and outcome',
    labelNames: ['queue', 'outcome'],
    registers: [this.registry],
  });

  private readonly httpDuration = new Histogram({
    name: 'seminarhub_http_request_duration_seconds',
    help: 'HTTP request latency by method, route pattern (never the raw path: it may hold a personal token) and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    // Every label seen from the start, so a dashboard shows 0 rather than no series.
    for (const outcome of ['sent', 'failed', 'suppressed'] as const) this.mails.inc({ outcome }, 0);
  }

  mail(outcome: MailOutcome): void {
    this.mails.inc({ outcome });
  }

  job(queue: string, outcome: JobOutcome): void {
    this.jobs.inc({ queue, outcome });
  }

  /** Express middleware timing every request; the route label is the matched pattern, or "unmatched". */
  httpTimer(): (request: Request, response: Response, next: NextFunction) => void {
    return (request, response, next) => {
      const end = this.httpDuration.startTimer();
      response.once('finish', () => {
        end({ method: request.method, route: routePattern(request), status: String(response.statusCode) });
      });
      next();
    };
  }

  async exposition(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}

/**
 * The route as declared (`/api/events/:id`), known once Express matched it. Requests no route
 * took (404s, static assets, probes for paths) share one label, so the label set stays small and
 * no token or address from a path ever becomes a label.
 */
export function routePattern(request: Request): string {
  const path = (request as unknown as { route?: { path?: unknown } }).route?.path;
  if (typeof path !== 'string') return 'unmatched';
  return `${request.baseUrl ?? ''}${path}`;
}
