// Nested transactions for the target adapters: the outermost call is a real transaction,
// inner calls are savepoints, written once against each adapter's primitive operations.

import type { DialectHooks } from './adapter.js';

/** The primitive operations of one connection. */
export interface TransactionOps {
  begin(): Promise<void>;
  commit(): Promise<void>;
  rollback(): Promise<void>;
  /** Runs one statement that returns no rows (savepoints). */
  exec(sql: string): Promise<void>;
}

/** How deep the connection is in transactions; 0 outside any. */
export interface TransactionState {
  depth: number;
}

/**
 * Runs `fn` in a transaction (depth 0) or a savepoint (deeper): commits or releases when
 * it resolves, rolls back when it throws and rethrows the original error.
 */
export async function runInTransaction<T>(
  state: TransactionState,
  hooks: DialectHooks,
  ops: TransactionOps,
  fn: () => Promise<T>,
): Promise<T> {
  if (state.depth === 0) {
    await ops.begin();
    state.depth = 1;
    try {
      let result: T;
      try {
        result = await fn();
      } catch (e) {
        await ops.rollback().catch(() => {});
        throw e;
      }
      try {
        await ops.commit();
      } catch (e) {
        await ops.rollback().catch(() => {});
        throw e;
      }
      return result;
    } finally {
      state.depth = 0;
    }
  }
  const name = `leadlift_sp_${state.depth}`;
  await ops.exec(hooks.savepoint(name));
  state.depth++;
  try {
    const result = await fn();
    const release = hooks.releaseSavepoint(name);
    if (release) await ops.exec(release);
    return result;
  } catch (e) {
    await ops.exec(hooks.rollbackToSavepoint(name)).catch(() => {});
    const release = hooks.releaseSavepoint(name);
    if (release) await ops.exec(release).catch(() => {});
    throw e;
  } finally {
    state.depth--;
  }
}
