/**
 * The loop of a background sender (the process-start and status-callback relays, the mail
 * sender): runs `work` on start(), every `intervalMs` and on kick(), never twice at once; a kick
 * while it runs makes it run once more right after. Does nothing before start() and after stop(),
 * so only the processes that started it (ROLE) do the work.
 */
export class Poller {
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private again = false;

  constructor(
    private readonly work: () => Promise<void>,
    private readonly onError: (err: unknown) => void,
  ) {}

  /** started and not stopped: long runs check it to end early after stop() */
  get started(): boolean {
    return this.timer !== undefined;
  }

  start(intervalMs: number): void {
    this.timer = setInterval(() => this.kick(), intervalMs);
    this.kick();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  kick(): void {
    if (!this.timer) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    const run = this.work()
      .catch(this.onError)
      .finally(() => {
        runningWork.delete(run);
        this.running = false;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
    runningWork.add(run);
  }
}

/** The runs of every poller in this process that are under way (a shutdown waits for them). */
const runningWork = new Set<Promise<void>>();

/** Resolves when the runs under way now have ended: after stop(), no new one starts. */
export async function pollerRunsEnded(): Promise<void> {
  await Promise.allSettled([...runningWork]);
}
