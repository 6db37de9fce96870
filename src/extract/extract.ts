// Extract: streams every canonical entity of a window from a read-only source through
// its query pack into an immutable snapshot folder, replacing PII at the door. The folder
// is built under a temporary name and renamed only when every file and the manifest are
// complete, so a failed extract leaves nothing that looks like a snapshot.

import { chmod, mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { SourceAdapter, SqlValue } from '../db/adapter.js';
import { LeadliftError } from '../errors.js';
import { type Progress, silentProgress } from '../progress.js';
import {
  ENTITIES,
  type EntityColumn,
  type EntityDef,
  type EntityName,
  snapshotColumns,
  type ValueType,
} from '../schema/entities.js';
import {
  type EntityManifest,
  entityFile,
  SNAPSHOT_FORMAT,
  type SnapshotManifest,
} from '../snapshot/manifest.js';
import { type CellValue, RowWriter } from '../snapshot/rows.js';
import { gitCommit, VERSION } from '../version.js';
import {
  type ContactPii,
  emailDomainType,
  hasPhone,
  isTestContact,
  type PiiHasher,
  phoneAreaCode,
  redactText,
} from './pii.js';
import type { Window } from './window.js';

/** One query file of a pack, as loaded and checked by the db layer. */
export interface QueryFile {
  readonly path: string;
  readonly sql: string;
  readonly sha256: string;
}

export interface ExtractOptions {
  readonly source: SourceAdapter;
  /** Query files by entity (a loaded query pack, with any single-file overrides applied). */
  readonly queries: Readonly<Record<EntityName, QueryFile>>;
  /** Name of the query pack, for the manifest. */
  readonly queryPackName: string;
  readonly window: Window;
  readonly hasher: PiiHasher;
  readonly demoKey: boolean;
  /** Final snapshot folder; must not exist. */
  readonly outDir: string;
  readonly progress?: Progress;
  /** Clock for the manifest (tests). Default: now. */
  readonly now?: () => Date;
}

export interface ExtractResult {
  readonly dir: string;
  readonly manifest: SnapshotManifest;
}

/** Runs the extraction. Throws LeadliftError on bad queries or data; leaves no folder behind then. */
export async function extractSnapshot(options: ExtractOptions): Promise<ExtractResult> {
  const now = options.now ?? (() => new Date());
  const progress = options.progress ?? silentProgress;
  const outDir = options.outDir;
  if (await exists(outDir)) {
    throw new LeadliftError(
      'extract.outExists',
      `Snapshot folder ${outDir} already exists; snapshots are immutable. Choose another --out or remove it.`,
      { details: { outDir } },
    );
  }
  await mkdir(dirname(outDir), { recursive: true });
  const tmpDir = join(dirname(outDir), `.${basename(outDir)}.partial-${process.pid}`);
  await rm(tmpDir, { recursive: true, force: true });
  await mkdir(tmpDir);

  const started = Date.now();
  const timings: Record<string, number> = {};
  const entities = {} as Record<EntityName, EntityManifest>;
  const state: ExtractState = { contacts: new Map(), enrollmentContact: new Map() };
  try {
    for (const def of ENTITIES) {
      const t0 = Date.now();
      const query = options.queries[def.name];
      entities[def.name] = await extractEntity(def, query, options, state, tmpDir, progress);
      timings[def.name] = Date.now() - t0;
    }
    timings.total = Date.now() - started;
    const createdAt = now();
    const manifest: SnapshotManifest = {
      format: SNAPSHOT_FORMAT,
      snapshot_id: basename(outDir),
      created_at_utc: createdAt.toISOString(),
      tool: { name: 'leadlift', version: VERSION, git_sha: gitCommit() },
      source: options.source.fingerprint,
      query_pack: options.queryPackName,
      window: {
        since: options.window.since,
        until: options.window.until,
        lookback_days: options.window.lookbackDays,
        effective_since: options.window.effectiveSince,
      },
      pii: { hash: 'hmac-sha256', key_fingerprint: options.hasher.keyFingerprint, demo_key: options.demoKey },
      entities,
      timings_ms: timings,
    };
    await writeFile(join(tmpDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    for (const def of ENTITIES) await chmod(join(tmpDir, entityFile(def.name)), 0o444);
    await chmod(join(tmpDir, 'manifest.json'), 0o444);
    await rename(tmpDir, outDir);
    return { dir: outDir, manifest };
  } catch (e) {
    await rm(tmpDir, { recursive: true, force: true });
    throw e;
  } finally {
    state.contacts.clear();
    state.enrollmentContact.clear();
  }
}

/** In-memory facts needed to redact later entities; never written anywhere. */
interface ExtractState {
  readonly contacts: Map<string, ContactPii>;
  readonly enrollmentContact: Map<string, string>;
}

async function extractEntity(
  def: EntityDef,
  query: QueryFile,
  options: ExtractOptions,
  state: ExtractState,
  tmpDir: string,
  progress: Progress,
): Promise<EntityManifest> {
  const task = progress.task(`extract ${def.name}`);
  const params = { since: options.window.effectiveSince, until: options.window.until };
  const stream = options.source.stream(query.sql, params, { label: query.path });
  const outColumns = snapshotColumns(def);
  const writer = new RowWriter(join(tmpDir, entityFile(def.name)), outColumns);
  let plan: RowPlan | undefined;
  let coerced = 0;
  let withheld = 0;
  try {
    for await (const row of stream) {
      if (!plan) plan = makePlan(def, query, Object.keys(row));
      const counts = writeRow(def, plan, row, options, state, writer);
      coerced += counts.coerced;
      withheld += counts.withheld;
      if ((writer.rowCount & 4095) === 0) {
        await writer.flush();
        task.tick(4096);
      }
    }
    if (!plan) plan = makePlan(def, query, [...(await stream.columns())]);
    const info = await writer.close();
    task.done(`${info.rows.toLocaleString('en-US')} rows`);
    return {
      file: entityFile(def.name),
      rows: info.rows,
      bytes: info.bytes,
      sha256: info.sha256,
      columns: outColumns.map((name) => ({ name, type: outputType(def, name) })),
      query_sha256: query.sha256,
      query_file: basename(query.path),
      ignored_columns: plan.ignored,
      ...(coerced > 0 ? { values_set_to_null: coerced } : {}),
      ...(withheld > 0 ? { texts_withheld: withheld } : {}),
    };
  } catch (e) {
    await writer.abort();
    throw e;
  }
}

interface RowPlan {
  /** Source column name for each canonical column (same order as def.columns). */
  readonly sourceNames: readonly string[];
  /** Canonical name → source column name. */
  readonly byName: ReadonlyMap<string, string>;
  readonly ignored: readonly string[];
}

function makePlan(def: EntityDef, query: QueryFile, returned: readonly string[]): RowPlan {
  const byLower = new Map(returned.map((n) => [n.toLowerCase(), n]));
  const missing: string[] = [];
  const sourceNames: string[] = [];
  for (const c of def.columns) {
    const found = byLower.get(c.name.toLowerCase());
    if (found === undefined) missing.push(c.name);
    else sourceNames.push(found);
  }
  if (missing.length > 0) {
    throw new LeadliftError(
      'extract.missingColumns',
      `Query file ${query.path} (entity ${def.name}) returned no column ${missing.map((m) => `"${m}"`).join(', ')}. ` +
        `It must return: ${def.columns.map((c) => c.name).join(', ')}. Alias the source columns with these names.`,
      { details: { entity: def.name, file: query.path, missing } },
    );
  }
  const canonical = new Set(def.columns.map((c) => c.name.toLowerCase()));
  const ignored = returned.filter((n) => !canonical.has(n.toLowerCase()));
  return { sourceNames, byName: new Map(def.columns.map((c, i) => [c.name, sourceNames[i]!])), ignored };
}

/** Writes one transformed row; returns how many values were set to null (wrong type) and text withheld. */
function writeRow(
  def: EntityDef,
  plan: RowPlan,
  row: Readonly<Record<string, SqlValue>>,
  options: ExtractOptions,
  state: ExtractState,
  writer: RowWriter,
): { coerced: number; withheld: number } {
  let coerced = 0;
  let withheld = 0;
  const out: CellValue[] = [];
  const raw = (name: string): SqlValue => {
    const source = plan.byName.get(name);
    return source === undefined ? null : (row[source] ?? null);
  };
  let contact: ContactPii | undefined;
  if (def.name === 'activities') {
    const contactId = state.enrollmentContact.get(idString(raw('enrollment_id')) ?? '');
    contact = contactId === undefined ? undefined : state.contacts.get(contactId);
  } else if (def.name === 'messages' || def.name === 'outcomes') {
    contact = state.contacts.get(contactKey(raw('org_id'), raw('contact_id')));
  }
  for (let i = 0; i < def.columns.length; i++) {
    const c = def.columns[i]!;
    const v = row[plan.sourceNames[i]!] ?? null;
    switch (c.pii ?? 'keep') {
      case 'drop':
        break;
      case 'hash':
      case 'pseudonym':
        out.push(options.hasher.hash(hashKind(c), v));
        break;
      case 'redact':
        // Without its contact's names, text can't be masked safely: it is withheld.
        if (contact === undefined && v !== null) {
          withheld++;
          out.push(null);
        } else out.push(redactText(v, contact));
        break;
      default: {
        const converted = coerce(c, v);
        if (converted === undefined) {
          coerced++;
          out.push(null);
        } else out.push(converted);
      }
    }
  }
  if (def.name === 'contacts') {
    const pii = { first_name: raw('first_name'), last_name: raw('last_name'), full_name: raw('full_name') };
    const email = raw('email');
    const phone = raw('phone');
    out.push(
      emailDomainType(email),
      email !== null && String(email).trim() !== '',
      hasPhone(phone),
      phoneAreaCode(phone),
    );
    out.push(isTestContact({ ...pii, email, phone }));
    state.contacts.set(contactKey(raw('org_id'), raw('contact_id')), {
      firstName: textOrNull(pii.first_name),
      lastName: textOrNull(pii.last_name),
      fullName: textOrNull(pii.full_name),
    });
  } else if (def.name === 'enrollments') {
    const enrollmentId = idString(raw('enrollment_id'));
    if (enrollmentId !== null)
      state.enrollmentContact.set(enrollmentId, contactKey(raw('org_id'), raw('contact_id')));
  }
  writer.write(out);
  return { coerced, withheld };
}

function contactKey(org: SqlValue, contact: SqlValue): string {
  return `${idString(org) ?? ''}\u0000${idString(contact) ?? ''}`;
}

function hashKind(c: EntityColumn): 'email' | 'phone' | 'id' {
  return c.name === 'email' ? 'email' : c.name === 'phone' ? 'phone' : 'id';
}

function textOrNull(v: SqlValue): string | null {
  if (v === null) return null;
  const s = String(v).trim();
  return s === '' ? null : s;
}

function idString(v: SqlValue): string | null {
  if (v === null) return null;
  return String(v);
}

const NUMERIC = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/;

/** Converts a value to the column's type; undefined when it can't be (set to null and counted). */
function coerce(c: EntityColumn, v: SqlValue): CellValue | undefined {
  if (v === null) return null;
  switch (c.type) {
    case 'id':
      return idString(v);
    case 'string':
    case 'text':
    case 'timestamp':
      return typeof v === 'string' ? v : String(v);
    case 'integer':
    case 'number': {
      if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
      if (typeof v === 'boolean') return v ? 1 : 0;
      if (v.trim() === '') return null;
      return NUMERIC.test(v) ? Number(v) : undefined;
    }
    case 'boolean': {
      if (typeof v === 'boolean') return v;
      if (typeof v === 'number') return v !== 0;
      const s = v.trim().toLowerCase();
      if (s === '') return null;
      if (['1', 'true', 't', 'yes', 'y'].includes(s)) return true;
      if (['0', 'false', 'f', 'no', 'n'].includes(s)) return false;
      return undefined;
    }
  }
}

function outputType(def: EntityDef, name: string): ValueType {
  const c = def.columns.find((x) => x.name === name);
  if (c) return c.type;
  if (name.endsWith('_hash')) return 'string';
  if (name === 'has_email' || name === 'has_phone' || name === 'is_test_hint') return 'boolean';
  return 'string';
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
