/** How long a 'sent' mark waits for others to share its transaction. */
export const MARK_DELAY_MS = 200;
/** No batch grows beyond this: a transaction of marks stays short. */
const MAX_BATCH = 100;

interface Waiting<T> {
  mark: T;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Writes the marks of deliveries that went out (auto-replies) together: one transaction, so one
 * sync to disk, for every mark made within MARK_DELAY_MS, instead of one per delivery. A mark only
 * keeps the delivery from being made again once its lease ends, so a short wait costs nothing but
 * a slightly wider at-least-once window (docs/outbox.md, "Marking a delivery sent").
 */
export class SentMarks<T> {
  private waiting: Waiting<T>[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private writing: Promise<void> = Promise.resolve();
  private closed = false;

  /** `write` stores a batch of marks in one transaction. */
  constructor(
    private readonly write: (marks: readonly T[]) => Promise<void>,
    private readonly delayMs = MARK_DELAY_MS,
  ) {}

  /** Settles once the mark is stored (or its batch failed). */
  add(mark: T): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ mark, resolve, reject });
      if (this.closed || this.waiting.length >= MAX_BATCH) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), this.delayMs);
    });
  }

  /** Writes what waits now, and every later mark at once: the instance is stopping. */
  close(): Promise<void> {
    this.closed = true;
    this.flush();
    return this.writing;
  }

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.waiting;
    this.waiting = [];
    if (batch.length === 0) return;
    // One batch at a time, in order: SQLite has one writer, and each batch is one transaction.
    this.writing = this.writing.then(() =>
      this.write(batch.map(({ mark }) => mark)).then(
        () => batch.forEach(({ resolve }) => resolve()),
        (error: unknown) => batch.forEach(({ reject }) => reject(error)),
      ),
    );
  }
}
