/** Colour only on a terminal that is not `TERM=dumb`, unless NO_COLOR or FORCE_COLOR says otherwise. */
export function wantsColor(stream: { readonly isTTY?: boolean }, env = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  return env.TERM !== 'dumb' && stream.isTTY === true;
}

/** The styles the output uses. */
export interface Palette {
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  magenta(text: string): string;
  cyan(text: string): string;
}

const unchanged = (text: string) => text;
/** No colour: what pipes, files and `--no-color` get. */
export const PLAIN: Palette = { bold: unchanged, dim: unchanged, red: unchanged, green: unchanged, yellow: unchanged, magenta: unchanged, cyan: unchanged };

/**
 * chalk's 16 colours, loaded only by a run that colours: loading chalk (its style tables) is
 * about 0.5 ms of a cold start, which runs in CI and pipes never use.
 */
export async function terminalPalette(): Promise<Palette> {
  const { Chalk } = await import('chalk');
  return new Chalk({ level: 1 });
}
