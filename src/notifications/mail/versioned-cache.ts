import { performance } from 'node:perf_hooks';

/**
 * A small in-process cache of values that are valid for one version of what they were built from
 * (an event's updated_at, read by the caller in a statement it makes anyway). A value is used only
 * while the caller's version is the one it was built for, so a change is seen by the next mail in
 * every worker process without any message between processes; the lifetime bounds what a version
 * cannot see (cluster names, renamed rarely), and `maxEntries` the memory.
 *
 * The promise is kept, so twenty jobs that start together on a new version build it once. The
 * lifetime is measured on the monotonic timer, not the app's Clock: it is how fresh a cached
 * value is, not a time the app decides anything by (tests move the Clock by days).
 */
export class VersionedCache<T> {
  private readonly entries = new Map<string, { version: string; expiresAt: number; value: Promise<T> }>();

  constructor(
    private readonly maxEntries: number,
    private readonly lifetimeMs: number,
  ) {}

  get(key: string, version: string, build: () => Promise<T>): Promise<T> {
    const now = performance.now();
    const hit = this.entries.get(key);
    if (hit && hit.version === version && hit.expiresAt > now) return hit.value;
    const value = build();
    const entry = { version, expiresAt: now + this.lifetimeMs, value };
    // Re-inserted at the end: the Map's order is then least recently built first.
    this.entries.delete(key);
    this.entries.set(key, entry);
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    // A failed build (database down) is not kept: the next mail tries again.
    value.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    return value;
  }
}
