import { fileURLToPath } from 'node:url';
import { runReplay } from './run.ts';

// `npm run` starts scripts in the package folder; INIT_CWD is where the user typed the command.
const cwd = process.env.INIT_CWD ?? process.cwd();
const defaultPaths = [fileURLToPath(new URL('../../events/', import.meta.url))];
const apiDir = fileURLToPath(new URL('../../events/api/', import.meta.url));

// A reader that stops early (`| head`) closes the pipe; that is not an error worth a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

process.exitCode = await runReplay(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  cwd,
  env: process.env,
  defaultPaths,
  apiDir,
});
