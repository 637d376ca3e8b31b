export type Style = 'critical' | 'warning' | 'info' | 'label' | 'dim' | 'bold';

const ANSI: Record<Style, [string, string]> = {
  critical: ['\u001b[1;31m', '\u001b[0m'],
  warning: ['\u001b[1;33m', '\u001b[0m'],
  info: ['\u001b[36m', '\u001b[0m'],
  label: ['\u001b[2m', '\u001b[0m'],
  dim: ['\u001b[2m', '\u001b[0m'],
  bold: ['\u001b[1m', '\u001b[0m'],
};

/** Applies a style when colour is on; the identity when it is off (output to a file or pipe). */
export type Paint = (style: Style, text: string) => string;

export function painter(color: boolean): Paint {
  return color ? (style, text) => `${ANSI[style][0]}${text}${ANSI[style][1]}` : (_style, text) => text;
}

/**
 * Whether to colour standard output: `--color`/`--no-color` win, then the NO_COLOR and FORCE_COLOR conventions,
 * then whether it is a terminal.
 */
export function wantsColor(flag: boolean | undefined, env: NodeJS.ProcessEnv, isTerminal: boolean): boolean {
  if (flag !== undefined) return flag;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  return isTerminal;
}
