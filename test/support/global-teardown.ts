import type { EmbeddedPostgresHandle } from '../../src/database/embedded-postgres';

export default async function globalTeardown(): Promise<void> {
  const handle = (globalThis as { embeddedPostgres?: EmbeddedPostgresHandle }).embeddedPostgres;
  if (handle) await handle.stop();
}
