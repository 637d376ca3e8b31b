/** How a container came to stop, as far as the exit code's meaning depends on it (section 5 of the reference). */
export interface ExitContext {
  /** The container's reason says OutOfMemoryError. */
  oom: boolean;
  /** ECS itself stopped the task (scheduler, StopTask, Spot reclaim, maintenance), so SIGTERM/SIGKILL came from ECS. */
  stoppedByEcs: boolean;
  /** A standalone task (RunTask, batch, cron) rather than a service task. */
  standalone: boolean;
  /** A container the task can run without (a sidecar or init container), which may finish and exit. */
  nonEssential?: boolean;
}

const SIGNALS: Record<number, string> = {
  1: 'SIGHUP',
  2: 'SIGINT',
  3: 'SIGQUIT',
  4: 'SIGILL',
  5: 'SIGTRAP',
  6: 'SIGABRT',
  7: 'SIGBUS',
  8: 'SIGFPE',
  9: 'SIGKILL',
  10: 'SIGUSR1',
  11: 'SIGSEGV',
  12: 'SIGUSR2',
  13: 'SIGPIPE',
  14: 'SIGALRM',
  15: 'SIGTERM',
};

/**
 * The meaning of a container exit code in ECS practice.
 *
 * @example exitMeaning(137, { oom: false, stoppedByEcs: true, standalone: false })
 *   // 'Killed with SIGKILL: it ignored ECS's stop signal (SIGTERM) until the stop timeout ran out'
 */
export function exitMeaning(code: number, context: ExitContext): string {
  switch (code) {
    case 0:
      if (context.stoppedByEcs) return "Shut down cleanly (code 0) on ECS's stop signal (SIGTERM)";
      return context.standalone || context.nonEssential === true
        ? 'Finished normally'
        : 'Exited on its own with code 0: a service container is expected to keep running (check its command and configuration)';
    case 1:
      return 'Application error: an unhandled exception, missing configuration or a failed dependency at start; read the logs';
    case 2:
      return 'Usage error: bad command-line arguments or shell syntax';
    case 126:
      return 'Command found but not executable (permissions, interpreter, or an image built for another CPU architecture)';
    case 127:
      return 'Command not found in the image (entrypoint or command typo, missing binary or PATH)';
    case 128:
      return 'Invalid argument to exit';
    case 130:
      return 'Interrupted (SIGINT)';
    case 134:
      return 'Aborted itself (SIGABRT): an assertion, a native crash or a fatal runtime error';
    case 137:
      if (context.oom) return 'Killed for using more memory than its limit (OutOfMemoryError)';
      if (context.stoppedByEcs) return "Killed with SIGKILL: it ignored ECS's stop signal (SIGTERM) until the stop timeout ran out";
      return 'Killed with SIGKILL (not reported as out of memory): a forced kill by the runtime, the host or another process';
    case 139:
      return 'Segmentation fault (SIGSEGV): a native bug or a library built for another platform';
    case 143:
      return context.stoppedByEcs
        ? "Shut down cleanly on ECS's stop signal (SIGTERM)"
        : 'Terminated by SIGTERM, which ECS sends when it stops a task';
    case 255:
      return 'Fatal error (exit status 255, often exit(-1)) during start-up or run; read the logs';
    default:
      break;
  }
  if (code > 128 && code <= 128 + 64) {
    const signal = code - 128;
    return `Killed by signal ${signal}${SIGNALS[signal] ? ` (${SIGNALS[signal]})` : ''}`;
  }
  if (code < 0 || code > 255) return 'Windows or runtime-specific status code; look it up for the container platform';
  return `Exited with code ${code}: an application-specific failure; read the logs`;
}
