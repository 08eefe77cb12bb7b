// What counts as the user being at the keyboard: a key, a click or tap, the wheel. Moving the
// pointer alone does not (a bumped mouse is not someone working).
const ACTIVITY_EVENTS = ['keydown', 'pointerdown', 'wheel', 'touchstart'] as const;

/** Notes when the user last did something in this tab (to renew the session only then). */
export class ActivityWatcher {
  private last = 0;
  private readonly waiting = new Set<() => void>();
  private readonly target: EventTarget | null;
  private readonly listener = () => this.note();

  constructor(private readonly onActivity: () => void) {
    this.target = typeof window === 'undefined' ? null : window;
    for (const name of ACTIVITY_EVENTS) {
      this.target?.addEventListener(name, this.listener, { capture: true, passive: true });
    }
  }

  /** Whether the user did something since `moment` (epoch ms). */
  activeSince(moment: number): boolean {
    return this.last >= moment;
  }

  /** Resolves at the user's next action, or when `wake()` is called. */
  next(): Promise<void> {
    return new Promise((resolve) => this.waiting.add(resolve));
  }

  /** Release whoever waits for the next action (the session changed meanwhile). */
  wake(): void {
    for (const resolve of this.waiting) resolve();
    this.waiting.clear();
  }

  /** Record an action now (the listeners call this; so do explicit "stay signed in" clicks). */
  note(): void {
    this.last = Date.now();
    this.wake();
    this.onActivity();
  }

  dispose(): void {
    for (const name of ACTIVITY_EVENTS) {
      this.target?.removeEventListener(name, this.listener, { capture: true });
    }
    this.wake();
  }
}
