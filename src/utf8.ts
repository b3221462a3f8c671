/**
 * Strict UTF-8, shared by payloads and the files read from a target. Node's default decoding
 * replaces invalid bytes with U+FFFD, which a run would then write back as EF BF BD, silently
 * changing bytes it never meant to touch; here invalid bytes are an error that says where.
 */

// `fatal` throws instead of replacing. One decoder keeps a leading BOM as U+FEFF, so that a file
// written back from the text keeps it; the other drops it, for payloads, where it means nothing.
const keepingBom = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const droppingBom = new TextDecoder('utf-8', { fatal: true });

/** Where the first invalid sequence starts: its first byte, 0-based offset and 1-based line. */
export interface InvalidUtf8 {
  byte: number;
  offset: number;
  line: number;
}

/** The text of `bytes`, or undefined when they are not valid UTF-8. */
export function decodeUtf8(bytes: Uint8Array, options: { keepBom: boolean }): string | undefined {
  try {
    return (options.keepBom ? keepingBom : droppingBom).decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * The first invalid or truncated sequence in `bytes`, or undefined when they are valid UTF-8.
 * Follows the Unicode rules TextDecoder applies: no overlong forms, no surrogates, nothing
 * past U+10FFFF, so it agrees with `decodeUtf8` on which inputs fail.
 */
export function firstInvalidUtf8(bytes: Uint8Array): InvalidUtf8 | undefined {
  let line = 1;
  for (let i = 0; i < bytes.length; ) {
    const lead = bytes[i]!;
    if (lead < 0x80) {
      if (lead === 0x0a) line += 1;
      i += 1;
      continue;
    }
    // How many continuation bytes follow, and the range the first of them must fall in.
    let follow: number;
    let low = 0x80;
    let high = 0xbf;
    if (lead >= 0xc2 && lead <= 0xdf) follow = 1;
    else if (lead >= 0xe0 && lead <= 0xef) {
      follow = 2;
      if (lead === 0xe0) low = 0xa0; // overlong below U+0800
      if (lead === 0xed) high = 0x9f; // surrogates U+D800..U+DFFF
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      follow = 3;
      if (lead === 0xf0) low = 0x90; // overlong below U+10000
      if (lead === 0xf4) high = 0x8f; // past U+10FFFF
    } else return { byte: lead, offset: i, line };
    for (let k = 1; k <= follow; k += 1) {
      const next = bytes[i + k];
      if (next === undefined || next < low || next > high) return { byte: lead, offset: i, line };
      low = 0x80;
      high = 0xbf;
    }
    i += follow + 1;
  }
  return undefined;
}

/** `byte 0xE9 at offset 123, line 5`: enough to find the byte with `xxd` or an editor. */
export function describeInvalidUtf8(bytes: Uint8Array): string {
  const found = firstInvalidUtf8(bytes);
  if (found === undefined) return 'invalid bytes';
  const hex = found.byte.toString(16).toUpperCase().padStart(2, '0');
  return `byte 0x${hex} at offset ${found.offset}, line ${found.line}`;
}
