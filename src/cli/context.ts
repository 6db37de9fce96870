// What every command gets: io, global options, configuration loading, progress and
// output helpers. Commands never call process.exit; they return or throw.

import type { Command } from 'commander';
import { loadConfig } from '../config/load.js';
import type { Config } from '../config/schema.js';
import type { LeadliftError } from '../errors.js';
import type { Progress } from '../progress.js';
import type { CliIo } from './io.js';
import { cliProgress } from './progress-bar.js';

export interface GlobalOptions {
  readonly json: boolean;
  readonly quiet: boolean;
  readonly config?: string;
}

export interface CommandContext {
  readonly io: CliIo;
  /** Global options as parsed for the running command. */
  globals(cmd: Command): GlobalOptions;
  /** Loads configuration with the given flag values on top. */
  config(cmd: Command, flags?: Record<string, unknown>): Promise<Config>;
  /** Progress for long stages (silent with --json or --quiet). */
  progress(cmd: Command): Progress;
  /** Prints a line of human output (suppressed with --json). */
  say(cmd: Command, text: string): void;
  /** Prints a value as JSON on stdout (only with --json). */
  json(cmd: Command, value: unknown): void;
  /** Sets the exit code without throwing (e.g. a gate that failed after its report printed). */
  setExitCode(code: number): void;
  /** Reports an error on stderr as one line and sets its exit code, after the command's own output. */
  fail(error: LeadliftError): void;
}

/** Builds the context; `exitCode` holds what setExitCode set. */
export function createContext(io: CliIo): CommandContext & { exitCode: number } {
  const ctx = {
    io,
    exitCode: 0,
    globals(cmd: Command): GlobalOptions {
      const o = cmd.optsWithGlobals() as { json?: boolean; quiet?: boolean; config?: string };
      return { json: o.json === true, quiet: o.quiet === true, ...(o.config ? { config: o.config } : {}) };
    },
    async config(cmd: Command, flags: Record<string, unknown> = {}): Promise<Config> {
      return loadConfig({
        cwd: io.cwd,
        env: io.env,
        file: ctx.globals(cmd).config ?? io.env.LEADLIFT_CONFIG,
        flags,
      });
    },
    progress(cmd: Command): Progress {
      const g = ctx.globals(cmd);
      return cliProgress(io, g.json || g.quiet);
    },
    say(cmd: Command, text: string): void {
      if (!ctx.globals(cmd).json) io.stdout(`${text}\n`);
    },
    json(cmd: Command, value: unknown): void {
      if (ctx.globals(cmd).json) io.stdout(`${JSON.stringify(value, null, 2)}\n`);
    },
    setExitCode(code: number): void {
      ctx.exitCode = code;
    },
    fail(error: LeadliftError): void {
      io.stderr(`leadlift: ${error.message} [${error.code}]\n`);
      ctx.exitCode = error.exitCode;
    },
  };
  return ctx;
}
