import { Global, Module } from '@nestjs/common';
import { Metrics } from './metrics.service';

/** The process's instruments, injectable everywhere (the mail worker counts into them, the queue's workers too). */
@Global()
@Module({ providers: [Metrics], exports: [Metrics] })
export class MetricsModule {}
