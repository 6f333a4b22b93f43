/**
 * Asynchronous provider transitions (DELETING → DELETED, Stopping → Stopped, job INIT → RUNNING → SUCCESS)
 * as scheduled events, applied lazily whenever a request or an admin read arrives. Keyed by resource
 * so a "stuck" fault can hold one resource in its transition.
 */
interface Scheduled {
  at: number;
  seq: number;
  resourceId: string;
  apply: () => void;
}

export class Timeline {
  private queue: Scheduled[] = [];
  private seq = 0;
  private stuck = new Set<string>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Run `apply` once `delayMs` has passed, unless the resource is held stuck. */
  after(delayMs: number, resourceId: string, apply: () => void): void {
    this.queue.push({ at: this.now() + Math.max(0, delayMs), seq: this.seq++, resourceId, apply });
  }

  /** Apply every due transition, oldest first. Transitions scheduled by a transition run on a later advance. */
  advance(): void {
    const now = this.now();
    const due = this.queue.filter((s) => s.at <= now && !this.stuck.has(s.resourceId)).sort((a, b) => a.at - b.at || a.seq - b.seq);
    if (due.length === 0) return;
    this.queue = this.queue.filter((s) => !due.includes(s));
    for (const s of due) s.apply();
  }

  hold(resourceId: string): void {
    this.stuck.add(resourceId);
  }

  releaseHold(resourceId: string): void {
    this.stuck.delete(resourceId);
  }

  pending(): { resourceId: string; dueInMs: number; stuck: boolean }[] {
    const now = this.now();
    return this.queue.map((s) => ({ resourceId: s.resourceId, dueInMs: s.at - now, stuck: this.stuck.has(s.resourceId) }));
  }

  clear(): void {
    this.queue = [];
    this.stuck.clear();
  }
}
