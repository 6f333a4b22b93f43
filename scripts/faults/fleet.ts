// The worker processes of the fault suite: real `worker.ts` processes (as durability.test.ts spawns them), on one
// task queue, killed with SIGKILL and restarted. Their stdout/stderr go to one log file per slot.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { sleep } from './support';

interface Slot {
  proc?: ChildProcess;
  ready: boolean;
  log: WriteStream;
  logPath: string;
  /** Set when we kill it: an exit that is not ours is counted. */
  killing: boolean;
}

export class Fleet {
  readonly slots: Slot[];
  kills = 0;
  spawns = 0;
  unexpectedExits: string[] = [];
  private stopped = false;
  private closed = false;

  constructor(
    private readonly env: NodeJS.ProcessEnv,
    logDir: string,
    size: number,
  ) {
    this.slots = Array.from({ length: size }, (_, i) => {
      const logPath = join(logDir, `worker-${i}.log`);
      return { ready: false, log: createWriteStream(logPath, { flags: 'a' }), logPath, killing: false };
    });
  }

  get logPaths(): string[] {
    return this.slots.map((s) => s.logPath);
  }

  readyCount(): number {
    return this.slots.filter((s) => s.ready).length;
  }

  start(i: number): void {
    const slot = this.slots[i];
    if (this.stopped || (slot.proc && slot.proc.exitCode === null && slot.proc.signalCode === null)) return;
    const proc = spawn(process.execPath, ['--import', 'tsx', join(__dirname, '..', '..', 'worker.ts')], {
      env: this.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.spawns++;
    slot.proc = proc;
    slot.ready = false;
    slot.killing = false;
    slot.log.write(`--- faults: worker ${i} spawned (pid ${proc.pid}) at ${new Date().toISOString()}\n`);
    proc.stdout.on('data', (chunk: Buffer) => {
      slot.log.write(chunk);
      if (slot.proc === proc && chunk.toString('utf8').includes('worker: polling')) slot.ready = true;
    });
    proc.stderr.on('data', (chunk: Buffer) => slot.log.write(chunk));
    proc.once('exit', (code, signal) => {
      if (slot.proc !== proc) return;
      slot.ready = false;
      if (!slot.killing && !this.stopped) {
        this.unexpectedExits.push(`worker ${i} (pid ${proc.pid}) exited by itself: code ${code} signal ${signal}`);
        // A supervisor restarts it, as in production.
        setTimeout(() => this.start(i), 500).unref();
      }
    });
  }

  /** SIGKILL, wait for the exit; `restart` spawns a fresh process at once. */
  async kill(i: number, restart: boolean): Promise<void> {
    const slot = this.slots[i];
    const proc = slot.proc;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    slot.killing = true;
    slot.ready = false;
    const exited = new Promise((r) => proc.once('exit', r));
    proc.kill('SIGKILL');
    await exited;
    this.kills++;
    slot.log.write(`--- faults: worker ${i} SIGKILLed at ${new Date().toISOString()}\n`);
    if (restart) this.start(i);
  }

  /** Every slot running and polling (bounded). */
  async allReady(timeoutMs: number): Promise<boolean> {
    const until = Date.now() + timeoutMs;
    for (let i = 0; i < this.slots.length; i++) this.start(i);
    while (Date.now() < until) {
      if (this.readyCount() === this.slots.length) return true;
      await sleep(100);
    }
    return false;
  }

  /** Kill everything, synchronously usable from an emergency exit. */
  killAllNow(): void {
    this.stopped = true;
    for (const s of this.slots) {
      s.killing = true;
      if (s.proc && s.proc.exitCode === null && s.proc.signalCode === null) s.proc.kill('SIGKILL');
    }
  }

  async stop(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.stopped = true;
    await Promise.all(
      this.slots.map(async (s) => {
        const proc = s.proc;
        if (proc && proc.exitCode === null && proc.signalCode === null) {
          s.killing = true;
          const exited = new Promise((r) => proc.once('exit', r));
          proc.kill('SIGKILL');
          await exited;
        }
      }),
    );
    await Promise.all(this.slots.map((s) => new Promise<void>((r) => s.log.end(() => r()))));
  }
}
