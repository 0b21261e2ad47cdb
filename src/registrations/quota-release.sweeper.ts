import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { RegistrationsService } from './registrations.service';

const SWEEP_EVERY_MS = 30_000;

/**
 * Returns unclaimed cluster quota seats to the open pool at each event's release time and moves
 * the waiting list up. Runs in every api process; RegistrationsService makes each release happen once.
 */
@Injectable()
export class QuotaReleaseSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(QuotaReleaseSweeper.name);
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly registrations: RegistrationsService) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.registrations
        .releaseDueQuotas()
        .then((promoted) => promoted > 0 && this.logger.log(`quota release moved ${promoted} people off the waiting list`))
        .catch((error: Error) => this.logger.warn(`quota release failed, will retry: ${error.message}`));
    }, SWEEP_EVERY_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }
}
