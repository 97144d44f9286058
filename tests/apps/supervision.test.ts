// `npm start` keeps its child processes running: the supervisor's rules on a real child, nginx's
// restart, and the whole product taking kill -9 of the API and of the database during a burst of
// complaints. It runs stacks of its own (not the e2e one), since it damages them.
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
}
interface Child {
  pid: number;
  exited: Promise<ExitStatus>;
  stop(): Promise<void>;
}
interface Supervised {
  readonly pid: number | undefined;
  readonly restarts: number;
  stop(): Promise<void>;
}
/* eslint-disable @typescript-eslint/no-require-imports */
const { supervise, exitOf, diedBeforeReady } = require('../../scripts/lib/supervise.cjs') as {
  supervise(o: {
    name: string;
    start: () => Promise<Child>;
    log: (m: string) => void;
    signal?: AbortSignal;
    firstDelayMs?: number;
    maxDelayMs?: number;
    stableAfterMs?: number;
  }): Promise<Supervised>;
  exitOf(child: ChildProcess): Promise<ExitStatus>;
  diedBeforeReady(message: string, status: ExitStatus): Error;
};
const media = require('../../scripts/lib/media.cjs') as {
  freePort(): Promise<number>;
  startMediaServer(o: {
    dataDir: string;
    callbackUrl: string;
    callbackToken: string;
    secret: string;
    rtmpPort: number;
    httpPort: number;
  }): Promise<Child>;
};
/* eslint-enable @typescript-eslint/no-require-imports */

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(check: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms`);
    await sleep(20);
  }
}

/** Linux's view of a process: its parent and whether it still runs (a zombie does not). */
function procStat(pid: number): { ppid: number; running: boolean } | null {
  try {
    // "pid (comm) state ppid …"; comm may hold spaces and parentheses.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return { ppid: Number(fields[1]), running: fields[0] !== 'Z' };
  } catch {
    return null;
  }
}
const running = (pid: number) => procStat(pid)?.running ?? false;
const childrenOf = (pid: number) =>
  readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map(Number)
    .filter((p) => procStat(p)?.ppid === pid);

/** A child that runs until killed. */
async function sleeper(): Promise<Child> {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 60_000)'], { stdio: 'ignore' });
  const exited = exitOf(child);
  await new Promise((r) => child.once('spawn', r));
  return {
    pid: child.pid!,
    exited,
    stop: async () => {
      child.kill();
      await exited;
    },
  };
}

const restartLine = (name: string, why: string, seconds: number) =>
  `${name} exited (${why}); restarting in ${seconds} s`;

describe('supervise (every child of npm start)', () => {
  it('when its child is killed again and again, then it starts a new one each time, one line per restart, the delay doubling up to its cap', async () => {
    const lines: string[] = [];
    const s = await supervise({
      name: 'sleeper',
      start: sleeper,
      log: (m) => lines.push(m),
      firstDelayMs: 50,
      maxDelayMs: 200,
    });
    try {
      const pids = [s.pid!];
      const waited: number[] = [];
      for (let i = 0; i < 4; i += 1) {
        const pid = s.pid!;
        const killedAt = Date.now();
        process.kill(pid, 'SIGKILL');
        await until(() => s.pid !== undefined && s.pid !== pid);
        waited.push(Date.now() - killedAt);
        pids.push(s.pid!);
      }
      expect(lines).toEqual([0.05, 0.1, 0.2, 0.2].map((n) => restartLine('sleeper', 'SIGKILL', n)));
      // Timers may fire a millisecond early by the wall clock.
      expect(waited.map((ms, i) => ms >= [50, 100, 200, 200][i]! - 2)).toEqual([true, true, true, true]);
      expect(new Set(pids).size).toBe(5);
      expect(s.restarts).toBe(4);
      expect(running(s.pid!)).toBe(true);
    } finally {
      await s.stop();
    }
  });

  it('when a child stayed up a while before dying, then the delay starts again from the first', async () => {
    const lines: string[] = [];
    const s = await supervise({
      name: 'sleeper',
      start: sleeper,
      log: (m) => lines.push(m),
      firstDelayMs: 50,
      maxDelayMs: 1000,
      stableAfterMs: 300,
    });
    try {
      for (const pause of [0, 0, 400]) {
        await sleep(pause);
        const pid = s.pid!;
        process.kill(pid, 'SIGKILL');
        await until(() => s.pid !== undefined && s.pid !== pid);
      }
      expect(lines).toEqual([0.05, 0.1, 0.05].map((n) => restartLine('sleeper', 'SIGKILL', n)));
    } finally {
      await s.stop();
    }
  });

  it('when a restarted child dies before it is ready, then that is an exit too, retried with the next delay; a first start that fails is thrown', async () => {
    const lines: string[] = [];
    let starts = 0;
    const s = await supervise({
      name: 'flaky',
      start: async () => {
        starts += 1;
        if (starts === 2 || starts === 3)
          throw diedBeforeReady('flaky exited before listening', { code: 1, signal: null });
        return sleeper();
      },
      log: (m) => lines.push(m),
      firstDelayMs: 50,
    });
    try {
      const pid = s.pid!;
      process.kill(pid, 'SIGKILL');
      await until(() => s.pid !== undefined && s.pid !== pid);
      expect(lines).toEqual([
        restartLine('flaky', 'SIGKILL', 0.05),
        restartLine('flaky', 'exit 1', 0.1),
        restartLine('flaky', 'exit 1', 0.2),
      ]);
      expect(starts).toBe(4);
    } finally {
      await s.stop();
    }
    await expect(
      supervise({ name: 'broken', start: () => Promise.reject(new Error('no such program')), log: () => {} }),
    ).rejects.toThrow('no such program');
  });

  it('when it is stopped, or its signal aborted (Ctrl-C reaches every child), then an exit is not restarted and not logged', async () => {
    const lines: string[] = [];
    let starts = 0;
    const start = () => {
      starts += 1;
      return sleeper();
    };
    const halt = new AbortController();
    const a = await supervise({ name: 'a', start, log: (m) => lines.push(m), signal: halt.signal, firstDelayMs: 20 });
    const b = await supervise({ name: 'b', start, log: (m) => lines.push(m), firstDelayMs: 20 });
    const [pidA, pidB] = [a.pid!, b.pid!];
    halt.abort();
    process.kill(pidA, 'SIGINT');
    await b.stop();
    await sleep(200);
    await a.stop();
    expect(lines).toEqual([]);
    expect(starts).toBe(2);
    expect([a.pid, b.pid, running(pidA), running(pidB)]).toEqual([undefined, undefined, false, false]);
  });

  it("when nginx's master process is killed, then none of its workers is left holding the ports, and a new nginx listens on the same ones", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ygsa-supervise-nginx-'));
    const [rtmpPort, httpPort] = [await media.freePort(), await media.freePort()];
    const lines: string[] = [];
    const s = await supervise({
      name: 'media server',
      start: () =>
        media.startMediaServer({
          dataDir,
          callbackUrl: 'http://127.0.0.1:9/api/v1/media',
          callbackToken: 'supervision-test',
          secret: 'supervision-test',
          rtmpPort,
          httpPort,
        }),
      log: (m) => lines.push(m),
      firstDelayMs: 50,
    });
    try {
      const master = s.pid!;
      // The master listens before it forks its workers.
      await until(() => childrenOf(master).length > 0);
      const workers = childrenOf(master);
      process.kill(master, 'SIGKILL');
      await until(() => s.pid !== undefined && s.pid !== master);
      expect(workers.filter(running)).toEqual([]);
      await until(() => childrenOf(s.pid!).length > 0);
      expect((await fetch(`http://127.0.0.1:${httpPort}/`)).status).toBe(404); // nginx's own answer
      await new Promise<void>((resolve, reject) =>
        connect(rtmpPort, '127.0.0.1')
          .once('connect', function (this: import('node:net').Socket) {
            this.destroy();
            resolve();
          })
          .once('error', reject),
      );
      expect(lines).toEqual([restartLine('media server', 'SIGKILL', 0.05)]);
    } finally {
      await s.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

interface Pids {
  database?: number;
  api?: number;
}
interface StackProcess {
  urls: { api: string; fakeWeChat: string };
  regulatorToken: string;
  publicAppid: string;
  /** What the stack logged (`npm start` prints these lines with "[start] "). */
  lines: string[];
  pids(): Promise<Pids>;
  stop(): Promise<void>;
}

/** startStack in a process of its own (scripts/jest/stack-process.mjs), driven over IPC. */
async function startStackProcess(options: Record<string, unknown>): Promise<StackProcess> {
  const child = fork(join(__dirname, '..', '..', 'scripts', 'jest', 'stack-process.mjs'), [], {
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    execArgv: [],
  });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr = (stderr + d).slice(-4000)));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const lines: string[] = [];
  const waiting: ((m: Record<string, unknown>) => boolean)[] = [];
  child.on('message', (m: Record<string, unknown>) => {
    if (typeof m.log === 'string') lines.push(m.log);
    const i = waiting.findIndex((w) => w(m));
    if (i >= 0) waiting.splice(i, 1);
  });
  const next = <T>(key: string) =>
    new Promise<T>((resolve, reject) => {
      waiting.push((m) => {
        if (m.error) reject(new Error(`${String(m.error)}\n${stderr}`));
        else if (!(key in m)) return false;
        else resolve(m[key] as T);
        return true;
      });
      void exited.then(() => reject(new Error(`stack process exited: ${stderr}`)));
    });
  child.send({ start: options });
  const ready = await next<Omit<StackProcess, 'lines' | 'pids' | 'stop'>>('ready');
  return {
    ...ready,
    lines,
    pids: () => {
      child.send({ pids: true });
      return next<Pids>('pids');
    },
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.send({ stop: true });
      await exited;
    },
  };
}

const CENTRE = { lng: 120.1551, lat: 30.2741 }; // inside 示范区, by the demo shops

describe('npm start under kill -9 (a stack of its own: database, WeChat stand-in, API; no live video)', () => {
  let dataDir: string;
  let stack: StackProcess;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'ygsa-supervision-'));
    // The burst files far more than a person would: the abuse limits are raised for it (they are tested apart).
    const burstLimits = { perUser: { points: 100_000, seconds: 60 }, perIp: { points: 100_000, seconds: 60 } };
    stack = await startStackProcess({
      dataDir,
      dbName: 'supervision',
      logLevel: 'warn',
      media: false,
      apiEnv: { RATE_LIMITS: JSON.stringify({ publicWrite: burstLimits, signIn: { perIp: burstLimits.perIp } }) },
    });
  }, 60_000);
  afterAll(async () => {
    await stack?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('when the API and later the database are killed during a burst of complaints retried with their keys, then each time /healthz is 200 again within 10 s, untouched, and every complaint is stored exactly once', async () => {
    const api = stack.urls.api;
    const regulator = { Authorization: `Bearer ${stack.regulatorToken}` };
    const ok = async <T>(res: Response): Promise<T> => {
      if (!res.ok) throw new Error(`${res.url} answered ${res.status}: ${await res.text()}`);
      return (await res.json()) as T;
    };

    // A diner signs in as the H5 build does: a login code from the WeChat stand-in, then the API.
    const { code } = await ok<{ code: string }>(
      await fetch(`${stack.urls.fakeWeChat}/__fake__/login`, {
        method: 'POST',
        body: JSON.stringify({ appid: stack.publicAppid, user: 'supervision-diner' }),
      }),
    );
    const { token } = await ok<{ token: string }>(
      await fetch(`${api}/api/v1/auth/wechat`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ code, app: 'public' }),
      }),
    );
    const shop = (await ok<{ items: { id: string }[] }>(await fetch(`${api}/api/v1/public/shops?q=阳光小厨`)))
      .items[0]!;
    const listed = async () => {
      const all: { number: string; description: string }[] = [];
      for (let page = 1; ; page += 1) {
        const r = await ok<{ items: typeof all; total: number }>(
          await fetch(`${api}/api/v1/regulator/complaints?establishmentId=${shop.id}&page=${page}&pageSize=100`, {
            headers: regulator,
          }),
        );
        all.push(...r.items);
        if (all.length >= r.total || !r.items.length) return all;
      }
    };
    const before = (await listed()).length;

    // The burst: four diners' phones filing one complaint after another; each is sent again with
    // the same key after a network error or a 5xx, as the app's drafts are, until it is accepted.
    const filed: { key: string; number: string }[] = [];
    /** When each attempt was sent and when it ended (answered or failed). */
    const attempts: { sent: number; ended: number }[] = [];
    let burstOver = false;
    const fileOne = async () => {
      const key = `sv-${randomBytes(8).toString('hex')}`;
      const body = JSON.stringify({
        idempotencyKey: key,
        type: 'complaint',
        establishmentId: shop.id,
        category: 'foreign_object',
        description: `米饭里吃出一根头发，已拍照留存（${key}）。`,
        location: CENTRE,
        name: '王小明',
        phone: '13800138000',
        address: '示范区幸福路 8 号 2 单元',
        request: '退还餐费并整改',
      });
      const giveUpAt = Date.now() + 30_000;
      for (;;) {
        let status = 0;
        const sent = Date.now();
        try {
          const res = await fetch(`${api}/api/v1/complaints`, {
            method: 'POST',
            headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
            body,
            signal: AbortSignal.timeout(8000),
          });
          status = res.status;
          attempts.push({ sent, ended: Date.now() });
          if (res.ok) {
            const { complaint } = (await res.json()) as { complaint: { number: string } };
            filed.push({ key, number: complaint.number });
            return;
          }
          if (status < 500) throw new Error(`complaint refused: ${status} ${await res.text()}`);
        } catch (err) {
          if (status && status < 500) throw err; // a refusal is not an outage: no retry
          if (!status) attempts.push({ sent, ended: Date.now() });
        }
        if (Date.now() > giveUpAt) throw new Error(`complaint ${key} not accepted within 30 s`);
        await sleep(100);
      }
    };
    const burst = Promise.all(
      Array.from({ length: 4 }, async () => {
        while (!burstOver) await fileOne();
      }),
    );
    // Should the burst fail, the outage steps below end early rather than wait for nothing.
    burst.catch(() => (burstOver = true));

    /** kill -9 one child; resolves with when, when /healthz answered 200 again, and what it answered meanwhile. */
    const killAndWatch = async (which: keyof Pids) => {
      const pid = (await stack.pids())[which]!;
      const filedBefore = filed.length;
      process.kill(pid, 'SIGKILL');
      const killedAt = Date.now();
      const seen = new Set<string>();
      for (;;) {
        const status = await fetch(`${api}/healthz`, { signal: AbortSignal.timeout(2000) })
          .then((r) => String(r.status))
          .catch(() => 'no answer');
        if (status === '200') break;
        seen.add(status);
        if (Date.now() - killedAt > 20_000) break;
        await sleep(100);
      }
      const recoveredAt = Date.now();
      // Let the burst go on against the restarted process for a moment.
      await until(() => filed.length >= filedBefore + 8 || burstOver, 15_000);
      return {
        killedAt,
        recoveredAt,
        seen: [...seen],
        pidChanged: (await stack.pids())[which] !== pid,
      };
    };

    await until(() => filed.length >= 8 || burstOver, 15_000);
    const apiOutage = await killAndWatch('api');
    const databaseOutage = await killAndWatch('database');
    burstOver = true;
    await burst;

    const outcome = (o: typeof apiOutage) => ({
      recoveredWithin10s: o.recoveredAt - o.killedAt < 10_000,
      seen: o.seen,
      pidChanged: o.pidChanged,
      // Complaints were being filed while the process was away: the outage hit the burst.
      burstHit: attempts.some((a) => a.sent <= o.recoveredAt && a.ended >= o.killedAt),
    });
    const healed = { recoveredWithin10s: true, pidChanged: true, burstHit: true };
    expect(outcome(apiOutage)).toEqual({ ...healed, seen: ['no answer'] });
    expect(outcome(databaseOutage)).toEqual({ ...healed, seen: ['503'] });

    const stored = await listed();
    expect(stored.length).toBe(before + filed.length);
    for (const f of filed) {
      const copies = stored.filter((c) => c.description.includes(f.key));
      expect(copies.map((c) => c.number)).toEqual([f.number]);
    }
    // One line per restart, and no other child restarted.
    expect(stack.lines.filter((l) => l.includes(' exited ('))).toEqual([
      restartLine('cloud-api', 'SIGKILL', 0.5),
      restartLine('database', 'SIGKILL', 0.5),
    ]);
  }, 90_000);

  it('when the database is killed while nothing but /healthz asks the API, then it answers 503, and 200 within 3 s of the database being back', async () => {
    const health = () =>
      fetch(`${stack.urls.api}/healthz`, { signal: AbortSignal.timeout(2000) })
        .then((r) => r.status)
        .catch(() => 0);
    expect(await health()).toBe(200);
    const pid = (await stack.pids()).database!;
    process.kill(pid, 'SIGKILL');
    await until(async () => (await health()) === 503, 5000);
    await until(async () => ![undefined, pid].includes((await stack.pids()).database), 15_000);
    const backAt = Date.now();
    let healthyAfterMs = Infinity;
    while (Date.now() - backAt < 15_000) {
      if ((await health()) === 200) {
        healthyAfterMs = Date.now() - backAt;
        break;
      }
      await sleep(100);
    }
    expect(healthyAfterMs).toBeLessThan(3000);
  }, 40_000);
});
