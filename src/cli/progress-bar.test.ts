import { describe, expect, it } from 'vitest';
import { captureIo } from './io.js';
import { cliProgress } from './progress-bar.js';

describe('cliProgress', () => {
  it('when a task ends without a summary then it shows its count, or "done" when it never ticked', () => {
    const io = captureIo();
    const progress = cliProgress(io, false);
    progress.task('fit').done();
    const counted = progress.task('read rows');
    counted.tick(1200);
    counted.done();
    progress.task('write').done('3 files');
    const lines = io.err().trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^✔ fit: done \(\d+\.\ds\)$/);
    expect(lines[1]).toMatch(/^✔ read rows: 1,200 \(\d+\.\ds\)$/);
    expect(lines[2]).toMatch(/^✔ write: 3 files \(\d+\.\ds\)$/);
  });

  it('when quiet then nothing is written', () => {
    const io = captureIo();
    const progress = cliProgress(io, true);
    progress.task('fit').done();
    expect(io.err()).toBe('');
  });
});
