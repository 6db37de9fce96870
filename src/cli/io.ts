// What a CLI command may touch of the outside world, injected so tests drive runCli
// with fake streams and environment.

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** stderr is a terminal: progress renders as a bar. */
  readonly isTTY: boolean;
}

/** An io that captures output, for tests. */
export function captureIo(options: { env?: Record<string, string | undefined>; cwd?: string } = {}): CliIo & {
  out: () => string;
  err: () => string;
} {
  let out = '';
  let err = '';
  return {
    stdout: (t) => {
      out += t;
    },
    stderr: (t) => {
      err += t;
    },
    env: options.env ?? {},
    cwd: options.cwd ?? process.cwd(),
    isTTY: false,
    out: () => out,
    err: () => err,
  };
}
