import { DynamicModule, Global, Module } from '@nestjs/common';

/**
 * The time the app decides by: registration windows, seat pools after the quota release, link
 * expiry, reminder planning. One injectable source, so a test moves time instead of waiting for
 * it. SQL `now()` still stamps rows; decisions read this.
 */
export abstract class Clock {
  abstract now(): Date;

  nowMs(): number {
    return this.now().getTime();
  }
}

export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}

@Global()
@Module({})
export class ClockModule {
  static forRoot(clock: Clock = new SystemClock()): DynamicModule {
    return { module: ClockModule, providers: [{ provide: Clock, useValue: clock }], exports: [Clock] };
  }
}
