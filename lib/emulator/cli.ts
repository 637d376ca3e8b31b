import { runEmulator } from './run.ts';

// Ctrl-C stops the emulator cleanly: the loop ends, the server closes, the count of messages is printed.
const stopped = new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
process.exitCode = await runEmulator(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, stopped });
