// What the three read-only sources share: the guarded entry points, and the rule of one
// open stream per connection. Each source supplies only how a statement is opened.

import type {
  DialectHooks,
  QueryStream,
  RowStream,
  SourceAdapter,
  SourceFingerprint,
  SqlParams,
  StreamOptions,
} from './adapter.js';
import { assertSelectOnly } from './sql-guard.js';
import { type BatchSource, createQueryStream, createRowStream } from './stream.js';

/** A read-only connection that runs one stream at a time. */
export abstract class OneStreamSource implements SourceAdapter {
  abstract readonly hooks: DialectHooks;
  abstract readonly fingerprint: SourceFingerprint;
  /** The token of the open stream, if any. */
  protected active: object | null = null;
  /** Ends the open stream (set by `open`). */
  protected closeActive: (() => Promise<void>) | null = null;

  stream(sql: string, params: SqlParams, options: StreamOptions = {}): QueryStream {
    assertSelectOnly(sql, options.label ?? 'query', { dialect: this.hooks.dialect });
    return this.unguardedStream(sql, params, options);
  }

  streamRows(sql: string, params: SqlParams, options: StreamOptions = {}): RowStream {
    assertSelectOnly(sql, options.label ?? 'query', { dialect: this.hooks.dialect });
    const token = {};
    return createRowStream(
      () => this.open(sql, params, options.label, token),
      () => this.release(token),
    );
  }

  /**
   * @internal The stream path without {@link assertSelectOnly}: tests send writes through
   * it to prove that the database itself refuses them (`db.readOnlyViolation`).
   */
  unguardedStream(sql: string, params: SqlParams, options: StreamOptions = {}): QueryStream {
    const token = {};
    return createQueryStream(
      () => this.open(sql, params, options.label, token),
      () => this.release(token),
    );
  }

  abstract close(): Promise<void>;

  /** Opens the statement of the stream `token`; throws `db.streamOpen` while another is open. */
  protected abstract open(
    sql: string,
    params: SqlParams,
    label: string | undefined,
    token: object,
  ): Promise<BatchSource>;

  /** Forgets the stream of `token` once it is closed. */
  private release(token: object): void {
    if (this.active === token) {
      this.active = null;
      this.closeActive = null;
    }
  }
}
