/**
 * What the page's one live region says, and when: a revoke's start, its end, a failure or a
 * pause, and its milestones (25, 50 and 75 % of the invites done), each once. Never a countdown
 * second or each invite's cancel: at a thousand invites that would be a flood.
 */

const MILESTONES = [25, 50, 75] as const;

export class Announcements {
  private said = new Set<string>();

  constructor(private readonly speak: (text: string) => void) {}

  /** Says `text` unless `key` was said already. */
  once(key: string, text: string): void {
    if (this.said.has(key)) return;
    this.said.add(key);
    this.speak(text);
  }

  /** Says it in any case (an answer to the manager's own action). */
  now(text: string): void {
    this.speak(text);
  }

  /**
   * The milestone `done` of `total` has reached, once per `key` (a job): passing several at once
   * says only the last of them.
   */
  milestone(key: string, done: number, total: number, text: (percent: number) => string): void {
    if (total <= 0) return;
    let reached: number | null = null;
    for (const m of MILESTONES) {
      if (done * 100 < m * total || this.said.has(`${key}:${m}`)) continue;
      this.said.add(`${key}:${m}`);
      reached = m;
    }
    if (reached !== null) this.speak(text(reached));
  }
}
