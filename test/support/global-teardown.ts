import { rm } from 'node:fs/promises';
import type { EmbeddedPostgresHandle } from '../../src/database/embedded-postgres';

export default async function globalTeardown(): Promise<void> {
  const state = globalThis as { embeddedPostgres?: EmbeddedPostgresHandle; embeddedPostgresDir?: string };
  if (state.embeddedPostgres) await state.embeddedPostgres.stop();
  if (state.embeddedPostgresDir) await rm(state.embeddedPostgresDir, { recursive: true, force: true });
}
