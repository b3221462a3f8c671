/**
 * A record as the reference backend keeps it: written by hand before records kept a `base`
 * (the compressed generated files, which no hand could write), so the base is compared apart:
 * it must be there, and the rest must be the reference's byte for byte.
 */
export function recordBesidesBase(text: string): string {
  const { base, ...rest } = JSON.parse(text) as Record<string, unknown>;
  if (typeof base !== 'string' || !/^(deflate|brotli):/.test(base)) throw new Error('the record keeps no base');
  return `${JSON.stringify(rest, null, 2)}\n`;
}

export const isRecordFile = (file: string) => /^\.petsage\/features\/[a-z0-9_]+\.json$/.test(file);
