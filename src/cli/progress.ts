import type { CliIo } from "./io";

const WIDTH = 30;

/** A progress bar with rate and ETA on the terminal's status line; silent when there is no terminal. */
export class ProgressBar {
  private started = 0;
  private lastDraw = 0;

  constructor(
    private readonly io: CliIo,
    private readonly label: string,
    private readonly total: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  update(done: number): void {
    if (!this.io.status) return;
    const t = this.now();
    if (this.started === 0) this.started = t;
    if (done < this.total && t - this.lastDraw < 100) return; // at most 10 redraws a second
    this.lastDraw = t;
    this.io.status(formatProgress(this.label, done, this.total, (t - this.started) / 1000));
  }

  /** Ends the bar's line so the next output starts on a fresh one. */
  finish(): void {
    if (this.io.status && this.started !== 0)
      this.io.status(`${formatProgress(this.label, this.total, this.total, (this.now() - this.started) / 1000)}\n`);
  }
}

/** `label [#####.....]  45%  450,000/1,000,000  90,000/s  ETA 6s` */
export function formatProgress(label: string, done: number, total: number, elapsedSeconds: number): string {
  const share = total > 0 ? Math.min(1, done / total) : 1;
  const filled = Math.round(share * WIDTH);
  const rate = elapsedSeconds > 0 ? done / elapsedSeconds : 0;
  const eta = done >= total ? "done" : rate > 0 ? `ETA ${duration((total - done) / rate)}` : "ETA ?";
  return `${label} [${"#".repeat(filled)}${".".repeat(WIDTH - filled)}] ${String(Math.floor(share * 100)).padStart(3)}%  ${done.toLocaleString("en")}/${total.toLocaleString("en")}  ${Math.round(rate).toLocaleString("en")}/s  ${eta}`;
}

function duration(seconds: number): string {
  if (seconds < 60) return `${Math.ceil(seconds)}s`;
  const m = Math.floor(seconds / 60);
  return m < 60
    ? `${m}m${String(Math.ceil(seconds % 60)).padStart(2, "0")}s`
    : `${Math.floor(m / 60)}h${String(m % 60).padStart(2, "0")}m`;
}
