// Progress reporting for long stages. Stages take a `Progress` and never print; the CLI
// renders it as a bar on a terminal and as occasional lines otherwise.

/** One long step of a stage. `total` is unknown for streams of unknown length. */
export interface ProgressTask {
  /** Adds `n` units of work done. */
  tick(n?: number): void;
  /** Ends the task; `summary` is shown once, e.g. "1,204,331 rows". */
  done(summary?: string): void;
}

export interface Progress {
  task(label: string, total?: number): ProgressTask;
}

/** A Progress that shows nothing: the default for library calls and tests. */
export const silentProgress: Progress = {
  task: () => ({ tick: () => {}, done: () => {} }),
};
