/**
 * A sliding-window counter per key: `take(key)` answers `null` when the call is allowed, or the
 * ms until a slot frees up when it is not.
 */
export class RateWindow {
  private readonly calls = new Map<string, number[]>();

  constructor(
    private readonly max: number,
    private readonly intervalMs: number,
  ) {}

  take(key: string, now = Date.now()): number | null {
    const recent = (this.calls.get(key) ?? []).filter((t) => now - t < this.intervalMs);
    if (recent.length >= this.max) {
      this.calls.set(key, recent);
      return recent[0]! + this.intervalMs - now;
    }
    recent.push(now);
    this.calls.set(key, recent);
    return null;
  }

  clear(): void {
    this.calls.clear();
  }
}
