// The worker set's lifecycle, with stand-in workers: creation that fails half-way releases what it made; a
// running worker that fails stops the others and its own error comes out. (Against a real dev server:
// test/integration/worker-lifecycle.test.ts.) Also the task queue setting and the search attribute checks.
import { Worker, type State } from '@temporalio/worker';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { releaseTaskQueue } from '../../client/connection';
import { assertSearchAttributes, checkSearchAttributes, provisionSearchAttributes, type OperatorConnection } from '../../client/search-attributes';
import { SEARCH_ATTRIBUTES, TASK_QUEUE } from '../../common/temporal';
import { WorkerFailedError, createWorkers, runWorkers } from '../../workers';

/** Just what createWorkers and runWorkers use of a Worker, with the SDK's state rules. */
class FakeWorker {
  state: State = 'INITIALIZED';
  events: string[];
  private stop?: () => void;
  private fail?: (e: Error) => void;
  constructor(
    readonly options: { taskQueue: string },
    events: string[],
    private readonly shutdownMs = 0,
  ) {
    this.events = events;
  }
  getState(): State {
    return this.state;
  }
  run(): Promise<void> {
    if (this.state !== 'INITIALIZED') return Promise.reject(new Error('Poller was already started'));
    this.state = 'RUNNING';
    return new Promise<void>((resolve, reject) => {
      this.stop = () => {
        this.state = 'STOPPED';
        this.events.push(`${this.options.taskQueue} stopped`);
        resolve();
      };
      this.fail = (e) => {
        this.state = 'FAILED';
        this.events.push(`${this.options.taskQueue} failed`);
        reject(e);
      };
    });
  }
  shutdown(): void {
    if (this.state !== 'RUNNING') throw new Error(`Not running. Current state: ${this.state}`);
    this.state = 'DRAINING';
    this.events.push(`${this.options.taskQueue} shutdown`);
    setTimeout(() => this.stop!(), this.shutdownMs);
  }
  async runUntil(p: Promise<unknown>): Promise<void> {
    const running = this.run();
    await p;
    this.shutdown();
    await running;
  }
  /** A fatal error of this worker while it runs. */
  crash(e: Error): void {
    this.fail!(e);
  }
}
const asWorkers = (fakes: FakeWorker[]) => fakes as unknown as Worker[];

afterEach(() => {
  vi.restoreAllMocks();
});

describe('createWorkers', () => {
  it('shuts down the workers already created when a later one cannot be created, and throws that error', async () => {
    const events: string[] = [];
    const made: FakeWorker[] = [];
    const boom = new Error('Failed to initialize worker: overlapping task types on cloud-release.huawei');
    vi.spyOn(Worker, 'create').mockImplementation((options) => {
      if (made.length === 1) return Promise.reject(boom);
      const w = new FakeWorker({ taskQueue: options.taskQueue }, events);
      made.push(w);
      return Promise.resolve(w as unknown as Worker);
    });
    const err = await createWorkers({ connection: {} as never, namespace: 'ns', taskQueue: 'q', deps: { adapters: {} }, workflowBundle: { code: '' } }).catch(
      (e: unknown) => e,
    );
    expect(err).toBe(boom);
    expect(made).toHaveLength(1);
    expect(made[0].state).toBe('STOPPED');
    expect(events).toEqual(['q shutdown', 'q stopped']);
  });

  it('creates one workflow worker and one worker per provider queue', async () => {
    const queues: string[] = [];
    vi.spyOn(Worker, 'create').mockImplementation((options) => {
      queues.push(options.taskQueue);
      return Promise.resolve(new FakeWorker({ taskQueue: options.taskQueue }, []) as unknown as Worker);
    });
    const workers = await createWorkers({ connection: {} as never, namespace: 'ns', taskQueue: 'q', deps: { adapters: {} }, workflowBundle: { code: '' } });
    expect(workers).toHaveLength(4);
    expect(queues).toEqual(['q', 'q.huawei', 'q.alibaba', 'q.baidu']);
  });
});

describe('runWorkers', () => {
  it('when one worker fails, shuts the others down, waits for them, then rejects with that worker’s own error', async () => {
    const events: string[] = [];
    const fakes = ['q', 'q.huawei', 'q.alibaba', 'q.baidu'].map((q) => new FakeWorker({ taskQueue: q }, events, 20));
    const running = runWorkers(asWorkers(fakes));
    const fatal = new Error('the activity poller hit a fatal error');
    fakes[2].crash(fatal);
    const err = await running.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkerFailedError);
    expect((err as WorkerFailedError).cause).toBe(fatal);
    expect((err as WorkerFailedError).taskQueue).toBe('q.alibaba');
    expect((err as Error).message).toBe('the worker of task queue q.alibaba failed: the activity poller hit a fatal error');
    // Every other worker was asked to stop and had stopped before runWorkers settled.
    expect(fakes.map((w) => w.state)).toEqual(['STOPPED', 'STOPPED', 'FAILED', 'STOPPED']);
    expect(events.filter((e) => e.endsWith('stopped'))).toHaveLength(3);
  });

  it('names the later failures too, the first one leading', async () => {
    const fakes = ['q', 'q.huawei'].map((q) => new FakeWorker({ taskQueue: q }, []));
    const running = runWorkers(asWorkers(fakes));
    fakes[1].crash(new Error('first'));
    fakes[0].crash(new Error('second'));
    const err = (await running.catch((e: unknown) => e)) as WorkerFailedError;
    expect(err.message).toBe('the worker of task queue q.huawei failed: first (then also: q: second)');
  });

  it('resolves once all have stopped after a shutdown, and a worker that stops takes the others with it', async () => {
    const fakes = ['q', 'q.huawei', 'q.alibaba'].map((q) => new FakeWorker({ taskQueue: q }, [], 5));
    const running = runWorkers(asWorkers(fakes));
    fakes[1].shutdown();
    await expect(running).resolves.toBeUndefined();
    expect(fakes.map((w) => w.state)).toEqual(['STOPPED', 'STOPPED', 'STOPPED']);
  });
});

describe('releaseTaskQueue', () => {
  it('is CLOUD_RELEASE_TASK_QUEUE when set, else the default', () => {
    expect(releaseTaskQueue({ CLOUD_RELEASE_TASK_QUEUE: 'releases-prod' })).toBe('releases-prod');
    expect(releaseTaskQueue({ CLOUD_RELEASE_TASK_QUEUE: '  ' })).toBe(TASK_QUEUE);
    expect(releaseTaskQueue({})).toBe(TASK_QUEUE);
  });
});

describe('search attributes', () => {
  const KEYWORD = 2;
  const TEXT = 1;
  const fakeOperator = (custom: Record<string, number>, addError?: Error) => {
    const added: Record<string, number>[] = [];
    const connection: OperatorConnection = {
      operatorService: {
        listSearchAttributes: vi.fn(() => Promise.resolve({ customAttributes: { ...custom }, systemAttributes: { WorkflowId: KEYWORD } })) as never,
        addSearchAttributes: vi.fn((req: { searchAttributes: Record<string, number> }) => {
          added.push(req.searchAttributes);
          Object.assign(custom, req.searchAttributes);
          return addError ? Promise.reject(addError) : Promise.resolve({});
        }) as never,
      },
    };
    return { connection, added };
  };

  it('the start-up check names what is missing and the command to run', async () => {
    const { connection } = fakeOperator({ CloudProvider: KEYWORD });
    const err = (await assertSearchAttributes(connection, 'prod').catch((e: unknown) => e)) as Error;
    expect(err.message).toContain('namespace "prod" lacks search attributes');
    expect(err.message).toContain('ResourceKind (KEYWORD), ResourceId (KEYWORD), CloudRegion (KEYWORD), ReleasePhase (KEYWORD), Requester (KEYWORD)');
    expect(err.message).not.toContain('CloudProvider');
    expect(err.message).toContain('npm run temporal:search-attributes');
  });

  it('the start-up check passes when all are there, and only warns where the operator service may not be asked', async () => {
    const { connection } = fakeOperator(Object.fromEntries(SEARCH_ATTRIBUTES.map((k) => [k.name, KEYWORD])));
    await expect(assertSearchAttributes(connection, 'prod')).resolves.toBeUndefined();
    const denied: OperatorConnection = {
      operatorService: {
        listSearchAttributes: (() => Promise.reject(Object.assign(new Error('7 PERMISSION_DENIED: unauthorized'), { code: 7 }))) as never,
        addSearchAttributes: (() => Promise.reject(new Error('unused'))) as never,
      },
    };
    const warn = vi.fn();
    await expect(assertSearchAttributes(denied, 'cloud-ns.acct', warn)).resolves.toBeUndefined();
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('not checked'));
  });

  it('provisioning adds only what is missing, and is a no-op the second time', async () => {
    const { connection, added } = fakeOperator({ CloudProvider: KEYWORD, ReleasePhase: KEYWORD });
    const first = await provisionSearchAttributes(connection, 'prod');
    expect(first.added.map((k) => k.name)).toEqual(['ResourceKind', 'ResourceId', 'CloudRegion', 'Requester']);
    expect(added).toEqual([{ ResourceKind: KEYWORD, ResourceId: KEYWORD, CloudRegion: KEYWORD, Requester: KEYWORD }]);
    const second = await provisionSearchAttributes(connection, 'prod');
    expect(second.added).toEqual([]);
    expect(added).toHaveLength(1);
  });

  it('provisioning refuses an attribute registered with another type, registering nothing', async () => {
    const { connection, added } = fakeOperator({ ReleasePhase: TEXT });
    await expect(provisionSearchAttributes(connection, 'prod')).rejects.toThrow('ReleasePhase is TEXT, this project needs KEYWORD');
    expect(added).toEqual([]);
    expect((await checkSearchAttributes(connection, 'prod')).conflicting.map((c) => c.key.name)).toEqual(['ReleasePhase']);
  });

  it('provisioning racing another one (ALREADY_EXISTS) ends fine once all are there', async () => {
    const { connection } = fakeOperator({}, Object.assign(new Error('6 ALREADY_EXISTS: already exists'), { code: 6 }));
    await expect(provisionSearchAttributes(connection, 'prod')).resolves.toMatchObject({ present: [] });
  });
});
