import { isPlainObject } from '../data.js';
import { invalidInput } from '../errors.js';
import { checkJsonKeys } from './json-keys.js';
import { decodeUtf8, describeInvalidUtf8 } from '../utf8.js';

/**
 * Turns the raw bytes of a payload into JSON. Three forms are accepted, told apart
 * without guessing: text starting with `{` or `[` is JSON (an envelope if it has a `message`
 * key, which no payload may have); anything else must be strict base64 of a JSON payload.
 */
export const MAX_PAYLOAD_BYTES = 1024 * 1024;
export const MAX_JSON_DEPTH = 32;

export const HOW_TO =
  'Pass a JSON object, the base64 of one, or a message envelope {"message": {"data": "<base64 JSON>"}}.';

/**
 * The payload's text, strictly decoded; one leading BOM is dropped. `layer` says which bytes an
 * offset counts in when they are not the input's own (the base64-decoded ones).
 */
export function payloadText(bytes: Uint8Array, where: string, layer = ''): string {
  const text = decodeUtf8(bytes, { keepBom: false });
  if (text === undefined) throw invalidInput(`is not valid UTF-8 (${describeInvalidUtf8(bytes)}${layer}). Save the payload as UTF-8.`, { path: where });
  return text;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Why text that is not JSON is not standard base64 either, for the message: the likely slips first. */
function base64Problem(compact: string): string {
  const stray = /[^A-Za-z0-9+/=]/.exec(compact);
  if (stray && /[-_]/.test(stray[0]) && !/[^A-Za-z0-9+/=_-]/.test(compact)) return 'it looks like URL-safe base64 (- and _), and standard base64 (+ and /) is taken';
  if (stray) return `${JSON.stringify(stray[0])} at offset ${stray.index} is not a base64 character`;
  if (compact.length % 4 !== 0) return `its length, ${compact.length}, is not a multiple of 4: standard base64 is padded with =`;
  return 'its padding or its last bits are not as standard base64 writes them';
}

/** Line breaks (as `base64` wraps its output) are allowed; any other stray character is an error. */
function decodeBase64(text: string, where: string): Uint8Array {
  const compact = text.trim().replace(/\r?\n/g, '');
  const bytes = BASE64.test(compact) ? Buffer.from(compact, 'base64') : undefined;
  // Re-encoding catches non-zero padding bits, which lenient decoders silently drop.
  if (compact === '' || bytes === undefined || bytes.toString('base64') !== compact) {
    const why = compact === '' ? '' : ` (as base64, ${base64Problem(compact)})`;
    throw invalidInput(`is neither JSON nor valid base64${why}. ${HOW_TO}`, { path: where });
  }
  return bytes;
}

/**
 * Where JSON.parse stopped, as a line and column an editor goes to: V8 says `at position N`
 * (an offset nobody can find by eye). Its message is kept as it is where it says no position.
 */
function jsonErrorText(message: string, text: string): string {
  const position = /at position (\d+)/.exec(message);
  if (!position) return message;
  const offset = Number(position[1]);
  const before = text.slice(0, offset).split('\n');
  return `${message.slice(0, position.index)}at line ${before.length} column ${before.at(-1)!.length + 1}${message.slice(position.index + position[0].length)}`;
}

/** JSON that parses up to `end` and then goes on: several payloads written one after another. */
const endsEarly = (text: string, message: string) => {
  const position = /at position (\d+)/.exec(message);
  if (!position) return false;
  try {
    JSON.parse(text.slice(0, Number(position[1])));
    return true;
  } catch {
    return false;
  }
};

function parseJson(text: string, where: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const { message } = error as Error;
    const several = endsEarly(text, message) ? ' Several payloads go one per line (NDJSON, with no line break inside one) or in a JSON array.' : '';
    throw invalidInput(`is not valid JSON (${jsonErrorText(message, text)}).${several || ` ${HOW_TO}`}`, { path: where });
  }
  const problems = checkJsonKeys(text, MAX_JSON_DEPTH);
  if (problems.length > 0) {
    throw invalidInput('the JSON is refused.', { path: where, problems });
  }
  return value;
}


/** The payload inside base64, which must itself be plain JSON: layers do not nest. */
function decodeInnerJson(base64: string, where: string): unknown {
  const bytes = decodeBase64(base64, where);
  // Said before any complaint about the decoded bytes: text that only happens to be base64 (a
  // bare word, digits on lines) decodes to noise, and was never meant as base64.
  if (bytes[firstNonBlank(bytes)] !== 0x7b) throw invalidInput(`is neither a JSON object nor the base64 of one (as base64, it decodes to something else). ${HOW_TO}`, { path: where });
  return parseJson(payloadText(bytes, where, ' of the base64-decoded bytes').trim(), where);
}

/** Where the bytes start past a UTF-8 byte order mark and JSON's whitespace. */
function firstNonBlank(bytes: Uint8Array): number {
  let i = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x09 || bytes[i] === 0x0a || bytes[i] === 0x0d)) i += 1;
  return i;
}

/**
 * What JSON other than an object or array the text is (`a string`, `true`), when it is that. It
 * is never a payload in base64 as well: that decodes to `{`, so it starts with `e`, and no JSON
 * scalar does.
 */
function jsonScalar(text: string): string | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  return value === null ? 'null' : typeof value === 'boolean' ? `${value}` : `a ${typeof value}`;
}

export const payloadTooLarge = (size: number, source: string) =>
  invalidInput(`is ${size} bytes; a payload may be at most ${MAX_PAYLOAD_BYTES} bytes (1 MiB).`, { path: source });

/** A JSON array is a batch: the run's input limit bounds it, and each of its payloads is bounded on its own. */
function isJsonArray(bytes: Uint8Array): boolean {
  return bytes[firstNonBlank(bytes)] === 0x5b;
}

export function decodePayload(bytes: Uint8Array, source: string): unknown {
  if (bytes.length > MAX_PAYLOAD_BYTES && !isJsonArray(bytes)) throw payloadTooLarge(bytes.length, source);
  const text = payloadText(bytes, source).trim();
  if (text === '') throw invalidInput(`is empty. ${HOW_TO}`, { path: source });
  // Base64 text never starts with a bracket, so this split is unambiguous.
  if (!/^[[{]/.test(text)) {
    const other = jsonScalar(text);
    if (other !== undefined) throw invalidInput(`is JSON, but ${other}, not an object. ${HOW_TO}`, { path: source });
    return decodeInnerJson(text, source);
  }

  const value = parseJson(text, source);
  if (!isPlainObject(value) || !('message' in value)) return value;

  const message = value.message;
  if (!isPlainObject(message) || typeof message.data !== 'string') {
    // Said of `message` itself when it is not an object: there is no `message.data` to fix.
    const problem = isPlainObject(message) ? { path: 'message.data', message: 'a message envelope needs a base64 string here' } : { path: 'message', message: 'a message envelope needs an object here, {"data": "<base64 JSON>"}' };
    throw invalidInput('is a message envelope without its payload.', { path: source, problems: [problem], hints: [HOW_TO] });
  }
  return decodeInnerJson(message.data, `${source} (message.data)`);
}
