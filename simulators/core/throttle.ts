/** A token bucket per provider: `rps` requests a second on average, bursts of `burst`. rps 0 = unlimited. */
export interface ThrottleSettings {
  rps: number;
  burst: number;
}

export class Throttle {
  private tokens: number;
  private last: number;

  constructor(
    private settings: ThrottleSettings,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = settings.burst;
    this.last = now();
  }

  configure(settings: ThrottleSettings): void {
    this.settings = settings;
    this.tokens = settings.burst;
    this.last = this.now();
  }

  current(): ThrottleSettings {
    return { ...this.settings };
  }

  /** true if the request may pass. */
  take(): boolean {
    if (this.settings.rps <= 0) return true;
    const now = this.now();
    this.tokens = Math.min(this.settings.burst, this.tokens + ((now - this.last) / 1000) * this.settings.rps);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
