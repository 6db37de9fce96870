// Lexical checks on query-pack SQL: one SELECT/WITH statement and no write keywords, the
// @names it uses, and their conversion to PostgreSQL's $n. A tokenizer, not a parser: it
// only needs to know what is a string, a comment or a quoted identifier in each dialect.

import { LeadliftError } from '../errors.js';
import type { Dialect } from './adapter.js';

/** How one dialect splits SQL into tokens where the three differ. */
interface LexProfile {
  readonly name: Dialect;
  /** `/* /* *\/ *\/` nests (PostgreSQL, SQL Server) or ends at the first `*\/` (SQLite). */
  readonly nestedComments: boolean;
  /** `$tag$ … $tag$` strings (PostgreSQL). */
  readonly dollarQuotes: boolean;
  /** `E'…'` strings with backslash escapes (PostgreSQL). */
  readonly escapeStrings: boolean;
  /** `[identifier]` (SQL Server, SQLite); PostgreSQL uses brackets for array subscripts. */
  readonly bracketIdents: boolean;
  /** `` `identifier` `` (SQLite). */
  readonly backtickIdents: boolean;
  /** `<@` is an operator (PostgreSQL), not `<` followed by a parameter. */
  readonly pgAtOperators: boolean;
}

const PROFILES: Readonly<Record<Dialect, LexProfile>> = {
  sqlite: {
    name: 'sqlite',
    nestedComments: false,
    dollarQuotes: false,
    escapeStrings: false,
    bracketIdents: true,
    backtickIdents: true,
    pgAtOperators: false,
  },
  postgres: {
    name: 'postgres',
    nestedComments: true,
    dollarQuotes: true,
    escapeStrings: true,
    bracketIdents: false,
    backtickIdents: false,
    pgAtOperators: true,
  },
  mssql: {
    name: 'mssql',
    nestedComments: true,
    dollarQuotes: false,
    escapeStrings: false,
    bracketIdents: true,
    backtickIdents: false,
    pgAtOperators: false,
  },
};

/** Kinds of tokens; comments and whitespace produce none. */
export type TokenKind = 'word' | 'quoted' | 'string' | 'number' | 'param' | 'sysvar' | 'punct' | 'semicolon';

/** One token: `start`/`end` are offsets into the SQL text. */
export interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

/** Options of the functions in this module. */
export interface SqlGuardOptions {
  /**
   * Lex as this dialect. Default: none, which means {@link assertSelectOnly} checks the text
   * under every dialect's rules (refusing what any of them would run as a write) and
   * {@link namedParams}/{@link toPositional} lex as SQL Server (brackets, nested comments).
   */
  readonly dialect?: Dialect;
}

/**
 * Keywords refused outside strings, comments and quoted identifiers: the brief's list of
 * writes, session changes and side doors, plus transaction control (a T-SQL batch needs no
 * `;`, so `SELECT 1 COMMIT` would end the read-only transaction) and a few T-SQL
 * administration verbs. `REPLACE` followed by `(` is the string function and is allowed.
 */
export const FORBIDDEN_KEYWORDS: ReadonlySet<string> = new Set([
  'INSERT',
  'UPDATE',
  'DELETE',
  'MERGE',
  'DROP',
  'CREATE',
  'ALTER',
  'TRUNCATE',
  'EXEC',
  'EXECUTE',
  'GRANT',
  'REVOKE',
  'DENY',
  'INTO',
  'SET',
  'USE',
  'DECLARE',
  'CALL',
  'COPY',
  'VACUUM',
  'ATTACH',
  'DETACH',
  'PRAGMA',
  'REPLACE',
  'UPSERT',
  'BULK',
  'OPENROWSET',
  'OPENQUERY',
  'OPENDATASOURCE',
  'BEGIN',
  'COMMIT',
  'ROLLBACK',
  'LOCK',
  'DBCC',
  'BACKUP',
  'RESTORE',
  'SHUTDOWN',
  'KILL',
  'RECONFIGURE',
  // T-SQL needs no ';' between statements, so every statement verb is refused anywhere.
  'ENABLE',
  'DISABLE',
  'RECEIVE',
  'SEND',
  'SETUSER',
  'REVERT',
  'UPDATETEXT',
  'WRITETEXT',
  'WAITFOR',
  'MOVE',
  'GET',
  'OPEN',
  'CLOSE',
  'DEALLOCATE',
  'CHECKPOINT',
  'SAVE',
  'PRINT',
  'RAISERROR',
  'THROW',
  // PostgreSQL and SQLite statements that change state.
  'NOTIFY',
  'LISTEN',
  'PREPARE',
  'DISCARD',
  'REINDEX',
  'CLUSTER',
  'ANALYZE',
  'LOAD',
  'REFRESH',
  'SECURITY',
  'COMMENT',
]);

/** A lexing failure (unterminated string or comment) at `offset`. */
class LexError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

const WORD_START = /[\p{L}_]/u;
const WORD_PART = /[\p{L}\p{N}_$]/u;
const DIGIT = /[0-9]/;
const HEX = /[0-9a-fA-F]/;

/** Splits `sql` into tokens under one dialect's rules; throws LexError when a string or comment is unterminated. */
function tokenize(sql: string, p: LexProfile): Token[] {
  const out: Token[] = [];
  const n = sql.length;
  let i = 0;
  const push = (kind: TokenKind, start: number, end: number) => {
    out.push({ kind, text: sql.slice(start, end), start, end });
  };
  const readQuoted = (start: number, close: string, backslash: boolean, what: string): number => {
    // `start` is the opening quote; returns the offset after the closing one. A doubled
    // closing character is an escaped one.
    let j = start + 1;
    while (j < n) {
      const ch = sql[j]!;
      if (backslash && ch === '\\') {
        j += 2;
        continue;
      }
      if (ch === close) {
        if (sql[j + 1] === close) {
          j += 2;
          continue;
        }
        return j + 1;
      }
      j++;
    }
    throw new LexError(`unterminated ${what}`, start);
  };

  while (i < n) {
    const ch = sql[i]!;
    const next = sql[i + 1];
    if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r' || ch === '\f' || ch === '\v') {
      i++;
    } else if (ch === '-' && next === '-') {
      const nl = sql.indexOf('\n', i);
      i = nl < 0 ? n : nl + 1;
    } else if (ch === '/' && next === '*') {
      let depth = 1;
      let j = i + 2;
      while (j < n && depth > 0) {
        if (sql[j] === '*' && sql[j + 1] === '/') {
          depth--;
          j += 2;
        } else if (p.nestedComments && sql[j] === '/' && sql[j + 1] === '*') {
          depth++;
          j += 2;
        } else {
          j++;
        }
      }
      if (depth > 0) throw new LexError('unterminated /* comment', i);
      i = j;
    } else if (ch === "'") {
      const end = readQuoted(i, "'", false, 'string literal');
      push('string', i, end);
      i = end;
    } else if (ch === '"') {
      const end = readQuoted(i, '"', false, 'quoted identifier');
      push('quoted', i, end);
      i = end;
    } else if (ch === '[' && p.bracketIdents) {
      const end = readQuoted(i, ']', false, '[identifier]');
      push('quoted', i, end);
      i = end;
    } else if (ch === '`' && p.backtickIdents) {
      const end = readQuoted(i, '`', false, '`identifier`');
      push('quoted', i, end);
      i = end;
    } else if (ch === '$' && p.dollarQuotes && dollarTagAt(sql, i) !== null) {
      const tag = dollarTagAt(sql, i)!;
      const close = sql.indexOf(tag, i + tag.length);
      if (close < 0) throw new LexError(`unterminated ${tag} string`, i);
      push('string', i, close + tag.length);
      i = close + tag.length;
    } else if (ch === '@') {
      let j = i + 1;
      if (next === '@') {
        j = i + 2;
        while (j < n && WORD_PART.test(sql[j]!)) j++;
        push('sysvar', i, j);
      } else if (next !== undefined && WORD_START.test(next)) {
        while (j < n && WORD_PART.test(sql[j]!)) j++;
        push('param', i, j);
      } else {
        push('punct', i, j);
      }
      i = j;
    } else if (ch === '<' && next === '@' && p.pgAtOperators) {
      push('punct', i, i + 2);
      i += 2;
    } else if (ch === ';') {
      push('semicolon', i, i + 1);
      i++;
    } else if (DIGIT.test(ch) || (ch === '.' && next !== undefined && DIGIT.test(next))) {
      // Strict on purpose: T-SQL reads `SELECT 1DELETE …` as 1 followed by DELETE, so
      // letters after a number start a new word rather than being swallowed by it.
      let j = i;
      if (ch === '0' && (next === 'x' || next === 'X')) {
        j = i + 2;
        while (j < n && HEX.test(sql[j]!)) j++;
      } else {
        while (j < n && DIGIT.test(sql[j]!)) j++;
        if (sql[j] === '.') {
          j++;
          while (j < n && DIGIT.test(sql[j]!)) j++;
        }
        if ((sql[j] === 'e' || sql[j] === 'E') && /[+-]?[0-9]/.test(sql.slice(j + 1, j + 3))) {
          j += sql[j + 1] === '+' || sql[j + 1] === '-' ? 2 : 1;
          while (j < n && DIGIT.test(sql[j]!)) j++;
        }
      }
      push('number', i, j);
      i = j;
    } else if (WORD_START.test(ch)) {
      let j = i + 1;
      while (j < n && WORD_PART.test(sql[j]!)) j++;
      const word = sql.slice(i, j);
      // E'…' (PostgreSQL) has backslash escapes; N'…', X'…', B'…' are strings with a prefix.
      if (sql[j] === "'" && j - i === 1) {
        const escaped = p.escapeStrings && (word === 'E' || word === 'e');
        const end = readQuoted(j, "'", escaped, 'string literal');
        push('string', i, end);
        i = end;
      } else {
        push('word', i, j);
        i = j;
      }
    } else {
      push('punct', i, i + 1);
      i++;
    }
  }
  return out;
}

/** The `$tag$` opening at `i`, or null when `$` starts something else (`$1`, a lone `$`). */
function dollarTagAt(sql: string, i: number): string | null {
  const m = /^\$(?:[A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/.exec(sql.slice(i, i + 66));
  return m ? m[0] : null;
}

/** 1-based line number of `offset` in `sql`. */
function lineAt(sql: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < sql.length; i++) if (sql.charCodeAt(i) === 10) line++;
  return line;
}

const FIX =
  'Query files must be exactly one SELECT (or WITH … SELECT) statement, with an optional trailing ";" and no writes, variables or session changes.';

/** The first problem under one profile, or null when the text is one read-only statement. */
function problemUnder(sql: string, label: string, p: LexProfile, note: string): LeadliftError | null {
  let tokens: Token[];
  try {
    tokens = tokenize(sql, p);
  } catch (e) {
    if (!(e instanceof LexError)) throw e;
    const line = lineAt(sql, e.offset);
    return new LeadliftError(
      'query.notSelect',
      `Query file ${label} has an ${e.message} starting on line ${line}${note}. ${FIX}`,
      { details: { label, line, reason: e.message } },
    );
  }
  if (tokens.length === 0) {
    return new LeadliftError(
      'query.empty',
      `Query file ${label} is empty (only whitespace or comments). Write one SELECT statement returning the entity's columns, or remove the override.`,
      { details: { label } },
    );
  }
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k]!;
    if (t.kind !== 'word') continue;
    const upper = t.text.toUpperCase();
    if (!FORBIDDEN_KEYWORDS.has(upper)) continue;
    if (upper === 'REPLACE' && tokens[k + 1]?.text === '(') continue;
    const line = lineAt(sql, t.start);
    return new LeadliftError(
      'query.notSelect',
      `Query file ${label} uses ${upper} on line ${line}${note}, which is not allowed in a query file. ${FIX}`,
      { details: { label, keyword: upper, line } },
    );
  }
  const semis = tokens.filter((t) => t.kind === 'semicolon');
  const last = tokens[tokens.length - 1]!;
  const extra = semis.find((s) => s !== last);
  if (extra) {
    const nextToken = tokens.find((t) => t.start > extra.start && t.kind !== 'semicolon');
    const at = nextToken ?? extra;
    const line = lineAt(sql, at.start);
    return new LeadliftError(
      'query.notSelect',
      `Query file ${label} holds more than one statement: another starts on line ${line}${nextToken ? ` (${nextToken.text.slice(0, 20)})` : ''}${note}. ${FIX}`,
      { details: { label, line, ...(nextToken ? { keyword: nextToken.text.toUpperCase() } : {}) } },
    );
  }
  const first = tokens.find((t) => t.text !== '(');
  const firstWord = first?.kind === 'word' ? first.text.toUpperCase() : undefined;
  if (firstWord !== 'SELECT' && firstWord !== 'WITH') {
    const line = lineAt(sql, first?.start ?? 0);
    const shown = first?.text.slice(0, 20) ?? ';';
    return new LeadliftError(
      'query.notSelect',
      `Query file ${label} starts with ${shown} on line ${line}${note}, not SELECT or WITH. ${FIX}`,
      { details: { label, keyword: shown.toUpperCase(), line } },
    );
  }
  return null;
}

/**
 * Throws unless `sql` is exactly one statement (an optional trailing `;`) whose first
 * keyword is SELECT or WITH and which uses none of {@link FORBIDDEN_KEYWORDS} outside
 * strings, comments and quoted identifiers. Codes: `query.empty` (nothing but comments),
 * `query.notSelect` (names `label`, the keyword and its line). Without `options.dialect`
 * the text is checked under every dialect's lexing rules, so a comment that nests in one
 * dialect and not another can't hide a statement.
 */
export function assertSelectOnly(sql: string, label: string, options: SqlGuardOptions = {}): void {
  const profiles = options.dialect ? [PROFILES[options.dialect]] : Object.values(PROFILES);
  for (const p of profiles) {
    const note = options.dialect ? '' : ` (as ${p.name} reads it)`;
    const problem = problemUnder(sql, label, p, note);
    if (problem) throw problem;
  }
}

function lexOrThrow(sql: string, options: SqlGuardOptions): Token[] {
  const p = PROFILES[options.dialect ?? 'mssql'];
  try {
    return tokenize(sql, p);
  } catch (e) {
    if (!(e instanceof LexError)) throw e;
    throw new LeadliftError(
      'query.notSelect',
      `SQL text has an ${e.message} starting on line ${lineAt(sql, e.offset)}. ${FIX}`,
      { details: { line: lineAt(sql, e.offset), reason: e.message } },
    );
  }
}

/**
 * The `@name` parameters `sql` uses outside strings, comments and quoted identifiers,
 * without the `@`, unique, in order of first use. `@@system` variables are not
 * parameters. Lexes as SQL Server unless `options.dialect` says otherwise.
 */
export function namedParams(sql: string, options: SqlGuardOptions = {}): string[] {
  const seen = new Set<string>();
  for (const t of lexOrThrow(sql, options)) if (t.kind === 'param') seen.add(t.text.slice(1));
  return [...seen];
}

/**
 * Rewrites every `@name` of `sql` to `$k`, where `k` is the 1-based position of `name` in
 * `names` (PostgreSQL's placeholders); the same name always gets the same number. Throws
 * `query.missingParam` when `sql` uses a name `names` lacks. Lexes as PostgreSQL unless
 * `options.dialect` says otherwise.
 */
export function toPositional(sql: string, names: readonly string[], options: SqlGuardOptions = {}): string {
  const index = new Map(names.map((name, k) => [name, k + 1] as const));
  const parts: string[] = [];
  let at = 0;
  for (const t of lexOrThrow(sql, { dialect: options.dialect ?? 'postgres' })) {
    if (t.kind !== 'param') continue;
    const name = t.text.slice(1);
    const k = index.get(name);
    if (k === undefined) throw missingParamError([name], names);
    parts.push(sql.slice(at, t.start), `$${k}`);
    at = t.end;
  }
  parts.push(sql.slice(at));
  return parts.join('');
}

/** `query.missingParam`: the SQL uses parameters the caller did not give (names only, never values). */
export function missingParamError(
  missing: readonly string[],
  given: readonly string[],
  label = 'query',
): LeadliftError {
  const list = missing.map((m) => `@${m}`).join(', ');
  return new LeadliftError(
    'query.missingParam',
    `${label} uses ${list} but no value was given for ${missing.length === 1 ? 'it' : 'them'} (given: ${given.length ? given.map((g) => `@${g}`).join(', ') : 'none'}). Query files may use @since and @until; remove other parameters or supply them.`,
    { details: { label, missing: [...missing], given: [...given] } },
  );
}
