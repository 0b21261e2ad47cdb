import { Clock } from '../../src/common/clock';

/** Real time moved by an offset the test sets: time still flows, and a test jumps ahead instead of waiting. */
export class ManualClock extends Clock {
  private offsetMs = 0;

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  advance(ms: number): void {
    this.offsetMs += ms;
  }
}
