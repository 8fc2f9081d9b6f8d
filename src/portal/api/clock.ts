/** Where the portal's clock stands against ours, learned from `Date` headers (1 s resolution). */
export class PortalClock {
  /** Bounds on (portal time - our time), ms. */
  private low = Number.NEGATIVE_INFINITY;
  private high = Number.POSITIVE_INFINITY;

  /** `sentAt`/`receivedAt`: our clock around the request; `date`: the answer's Date header. */
  observe(sentAt: number, receivedAt: number, date: string | null): void {
    if (!date) return;
    const d = Date.parse(date);
    if (Number.isNaN(d)) return;
    // The header was written at portal time p in [d, d + 1000), at our time t in [sentAt, receivedAt].
    const low = d - receivedAt;
    const high = d + 1000 - sentAt;
    if (low > this.high || high < this.low) {
      // The portal's clock jumped (or ours did): start over from this answer.
      this.low = low;
      this.high = high;
      return;
    }
    this.low = Math.max(this.low, low);
    this.high = Math.min(this.high, high);
  }

  /**
   * The least (portal time - our time) can be, or null before any answer: `our now + this` is a
   * portal time that has certainly passed.
   */
  lowestOffset(): number | null {
    return Number.isFinite(this.low) ? this.low : null;
  }

  /** Best estimate of (portal time - our time), or 0 before any answer. */
  offset(): number {
    if (!Number.isFinite(this.low) || !Number.isFinite(this.high)) return 0;
    return Math.round((this.low + this.high) / 2);
  }
}
