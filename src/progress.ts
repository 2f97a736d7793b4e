/**
 * Progress for long work: a single updating line on a terminal, nothing otherwise.
 */

/** A progress reporter. */
export interface Progress {
  update(label: string, done: number, total: number): void;
  done(): void;
}

/** Whether progress is shown: only on a TTY and without `--quiet`. */
export function createProgress(stream: NodeJS.WriteStream, quiet: boolean): Progress {
  if (quiet || !stream.isTTY) return { update() {}, done() {} };
  let shown = false;
  let last = 0;
  return {
    update(label, done, total) {
      const now = Date.now();
      if (done < total && now - last < 80) return;
      last = now;
      const width = 24;
      const filled = total === 0 ? width : Math.round((done / total) * width);
      stream.write(`\r\x1b[2K${'█'.repeat(filled)}${'░'.repeat(width - filled)} ${done}/${total} ${label}`);
      shown = true;
    },
    done() {
      if (shown) stream.write('\r\x1b[2K');
      shown = false;
    },
  };
}
