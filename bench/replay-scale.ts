import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { progress, ROOT, writeEventFiles, type Fixture } from './fixtures.ts';

export interface ReplayPoint {
  events: number;
  /** From starting `npm run replay` to its exit, npm and tsx start-up included. */
  wallMs: number;
  /** The largest resident set of the process tree (npm, tsx, the node process that replays). */
  peakRssMb: number;
}

export interface ReplayScaleResult {
  points: ReplayPoint[];
  /** How peak RSS was measured. */
  rssMethod: string;
}

const GNU_TIME = '/usr/bin/time';

const RSS_BY_TIME =
  '/usr/bin/time -v "Maximum resident set size": the largest RSS of npm and its waited-for descendants (wait4 rusage), i.e. the node process that replays';
const RSS_BY_PROC = 'VmHWM from /proc/<pid>/status of npm and its descendants, polled every 50 ms, the largest kept';

interface Finished {
  code: number | null;
  stderr: string;
}

function finished(child: ChildProcess): Promise<Finished> {
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4_000);
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

/** The parent of every process, from /proc/<pid>/stat (the field after the parenthesised command name). */
async function parents(): Promise<Map<number, number>> {
  const map = new Map<number, number>();
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = await readFile(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      map.set(Number(name), ppid);
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return map;
}

/** The peak RSS (VmHWM, kB) of a process and its descendants, as far as one look at /proc finds them. */
async function treeHighWaterKb(root: number): Promise<number> {
  const parentOf = await parents();
  const tree = new Set([root]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, ppid] of parentOf) {
      if (tree.has(ppid) && !tree.has(pid)) {
        tree.add(pid);
        grew = true;
      }
    }
  }
  let peak = 0;
  for (const pid of tree) {
    try {
      const match = /^VmHWM:\s+(\d+) kB/m.exec(await readFile(`/proc/${pid}/status`, 'utf8'));
      peak = Math.max(peak, Number(match?.[1] ?? 0));
    } catch {
      // Gone already; its peak was seen by an earlier poll or is lost (a short-lived npm helper).
    }
  }
  return peak;
}

const REPLAY_ARGS = ['run', '--silent', 'replay', '--', '--json'];

/** Runs `npm run replay -- --json FILE` (standard output to /dev/null) and measures its wall time and peak RSS. */
async function replayOnce(file: string, events: number, timeFile: string): Promise<ReplayPoint> {
  const started = performance.now();
  let peakKb = 0;
  let result: Finished;
  if (existsSync(GNU_TIME)) {
    const child = spawn(GNU_TIME, ['-v', '-o', timeFile, 'npm', ...REPLAY_ARGS, file], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    result = await finished(child);
    const report = await readFile(timeFile, 'utf8').catch(() => '');
    peakKb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(report)?.[1] ?? 0);
  } else {
    const child = spawn('npm', [...REPLAY_ARGS, file], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    const done = finished(child);
    let running = true;
    void done.then(() => {
      running = false;
    });
    while (running && child.pid !== undefined) {
      peakKb = Math.max(peakKb, await treeHighWaterKb(child.pid));
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    result = await done;
  }
  const wallMs = performance.now() - started;
  if (result.code !== 0) throw new Error(`npm run replay -- --json ${file} exited with ${String(result.code)}: ${result.stderr.trim()}`);
  if (peakKb === 0) throw new Error(`no peak RSS measured for the replay of ${file}`);
  return { events, wallMs, peakRssMb: peakKb / 1024 };
}

/**
 * The replay command at scale: NDJSON files of `sizes` generated events (fresh ids, task ARNs and times, see
 * generateEvents) in a temporary folder, each replayed as a child process the way a user runs it.
 */
export async function measureReplayScale(fixtures: readonly Fixture[], sizes: readonly number[]): Promise<ReplayScaleResult> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-replay-'));
  try {
    progress(`replay: generating ${sizes.join(', ')} events in ${dir}`);
    const files = await writeEventFiles(dir, fixtures, sizes);
    const points: ReplayPoint[] = [];
    for (const size of sizes) {
      const file = files.get(size);
      if (file === undefined) continue;
      progress(`replay: npm run replay -- --json (${size} events)`);
      points.push(await replayOnce(file, size, join(dir, `time-${size}.txt`)));
    }
    return { points, rssMethod: existsSync(GNU_TIME) ? RSS_BY_TIME : RSS_BY_PROC };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
