/** Colour only when the stream is a terminal, unless NO_COLOR or FORCE_COLOR says otherwise. */
export function wantsColor(stream: { readonly isTTY?: boolean }, env = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  return stream.isTTY === true;
}
