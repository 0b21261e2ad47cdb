import { Logger } from '@nestjs/common';
import type { DataSource, EntityManager, EntitySubscriberInterface, QueryRunner } from 'typeorm';

type Callback = () => unknown;

const logger = new Logger('AfterCommit');
const pending = new WeakMap<QueryRunner, Callback[]>();
const installed = new WeakSet<DataSource>();

/**
 * Runs `callback` once the transaction `manager` belongs to has committed, and never if it rolls
 * back; at once when `manager` is not in a transaction. For side effects outside the database
 * (queue jobs, waking the outbox relay) decided inside a transaction that someone else owns, such
 * as an EventLifecycleHooks listener. The callback's errors are logged, never thrown: the
 * transaction is already committed and its caller must not see it fail.
 */
export function afterCommit(manager: EntityManager, callback: Callback): void {
  const runner = manager.queryRunner;
  if (!runner || !runner.isTransactionActive) {
    void runSafely([callback]);
    return;
  }
  install(manager.dataSource);
  const callbacks = pending.get(runner) ?? [];
  callbacks.push(callback);
  pending.set(runner, callbacks);
}

/** TypeORM tells subscribers about each COMMIT and ROLLBACK, with the query runner that made it. */
const subscriber: EntitySubscriberInterface = {
  async afterTransactionCommit({ queryRunner }): Promise<void> {
    // Still active: only a savepoint was released, the outer transaction goes on.
    if (queryRunner.isTransactionActive) return;
    const callbacks = pending.get(queryRunner);
    if (!callbacks) return;
    pending.delete(queryRunner);
    await runSafely(callbacks);
  },
  afterTransactionRollback({ queryRunner }): void {
    if (!queryRunner.isTransactionActive) pending.delete(queryRunner);
  },
};

function install(dataSource: DataSource): void {
  if (installed.has(dataSource)) return;
  // DataSource.initialize() sets `subscribers`; the data source is initialized before any transaction runs.
  dataSource.subscribers.push(subscriber);
  installed.add(dataSource);
}

async function runSafely(callbacks: Callback[]): Promise<void> {
  for (const callback of callbacks) {
    try {
      await callback();
    } catch (error) {
      logger.warn(`after-commit action failed: ${(error as Error).message ?? String(error)}`);
    }
  }
}
