import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { arrivalLine } from '../../lib/emulator/run.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Runs a command to its end; its output and exit status. */
function complete(command: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('npm run emulator', () => {
  // Two child processes with npm and tsx start-up each: seconds on a loaded machine.
  it('prints the publish command that works as printed, and every message that arrives', { timeout: 120_000 }, async () => {
    const emulator = spawn('npm', ['run', '--silent', 'emulator', '--', '--port', '0', '--exit-after', '4'], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } });
    let output = '';
    emulator.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const exited = new Promise<number | null>((resolve) => emulator.on('close', resolve));
    try {
      while (!/npm run replay -- --publish --topic-arn \S+\n/.test(output)) {
        if (emulator.exitCode !== null) throw new Error(`the emulator stopped: ${output}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const printed = /^ {2}(.*) npm run replay -- --publish --topic-arn (\S+)$/m.exec(output);
      const env = Object.fromEntries((printed?.[1] ?? '').split(' ').map((pair) => pair.split('=') as [string, string]));
      const replay = await complete('npm', ['run', '--silent', 'replay', '--', '--publish', '--topic-arn', printed?.[2] ?? '', 'events/scenarios/oom-crash-loop.jsonl'], { ...process.env, ...env, NO_COLOR: '1' });
      expect(replay.code).toBe(0);
      expect(await exited).toBe(0);
    } finally {
      emulator.kill();
    }
    const arrivals = output.split('\n').filter((line) => line.startsWith('arrived'));
    expect(arrivals).toEqual([
      'arrived  [WARNING] Out of memory - service orders-api (prod)  [kind new, severity warning, status firing, service orders-api]',
      'arrived  [CRITICAL] Crash loop - service orders-api (prod): 3 tasks stopped in 10 min  [kind new, severity critical, status firing, service orders-api]',
      'arrived  [CRITICAL] Crash loop - service orders-api (prod): 5 more tasks in 5 min  [kind follow-up, severity critical, status firing, service orders-api]',
      'arrived  [RESOLVED] Crash loop - service orders-api (prod)  [kind resolved, severity critical, status resolved, service orders-api]',
    ]);
    expect(output).toContain('4 messages arrived.');
  });

  it('shows a message that is not an SNS notification as it is', () => {
    expect(arrivalLine('"just text"')).toBe('? "just text"');
    expect(arrivalLine(JSON.stringify({ Subject: 'S', MessageAttributes: { kind: { Type: 'String', Value: 'new' } } }))).toBe('arrived  S  [kind new, severity -, status -, service -]');
  });
});
