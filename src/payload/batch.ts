import { ExitCode, invalidInput, PetsageError, type Problem } from '../errors.js';
import { decodePayload, MAX_PAYLOAD_BYTES, payloadText, payloadTooLarge } from './decode.js';
import type { PayloadInput } from './input.js';
import { payloadPath } from './owner.js';
import { validatePayload, type Feature } from './payload.js';

/** One payload of a batch, with how messages name it. */
export interface SourcedPayload {
  value: unknown;
  source: string;
}

/** At most this many payloads per run, all inputs together: past it, a batch is refused before its payloads are decoded. */
export const MAX_BATCH_PAYLOADS = 100_000;

/** A limit of the whole run: it stops the run at once instead of joining the payloads' problems. */
class LimitExceeded extends PetsageError {}

function checkCount(source: string, total: number): void {
  if (total <= MAX_BATCH_PAYLOADS) return;
  throw new LimitExceeded(
    `brings the batch to ${total} payloads; a run takes at most ${MAX_BATCH_PAYLOADS} (all payload files and stdin together); nothing was written.`,
    ExitCode.invalidInput,
    { path: source, hints: [`Split the batch into runs of at most ${MAX_BATCH_PAYLOADS} payloads.`] },
  );
}

/** The non-empty lines of NDJSON with their 1-based numbers, or undefined when `text` is not NDJSON. */
function ndjsonLines(text: string): { line: string; number: number }[] | undefined {
  const lines = text.split(/\r?\n/).flatMap((line, i) => (line.trim() === '' ? [] : [{ line, number: i + 1 }]));
  if (lines.length <= 1 || !lines.every(({ line }) => line.trimStart().startsWith('{'))) return undefined;
  // A pretty-printed object whose every line starts with `{` is one payload, not NDJSON.
  try {
    JSON.parse(text);
    return undefined;
  } catch {
    return lines;
  }
}

/**
 * The payloads in one input: a payload (JSON, base64 or envelope), a JSON array of payloads,
 * or NDJSON with one payload per line (on stdin or in a file). `before` payloads came from
 * earlier inputs, for the limit per run.
 */
export function splitPayloads(input: PayloadInput, before = 0): SourcedPayload[] {
  // Strict like any payload: NDJSON is split as text, and a lenient decode here would hand
  // each line to the payload decoder with U+FFFD already in place of the invalid bytes.
  const lines = ndjsonLines(payloadText(input.bytes, input.source));
  if (lines !== undefined) {
    // Counted before any line is decoded, so an oversized batch costs no parsing.
    checkCount(input.source, before + lines.length);
    return lines.map(({ line, number }) => {
      const source = `${input.source} line ${number}`;
      return { value: decodePayload(Buffer.from(line), source), source };
    });
  }
  const value = decodePayload(input.bytes, input.source);
  if (!Array.isArray(value)) return (checkCount(input.source, before + 1), [{ value, source: input.source }]);
  checkCount(input.source, before + value.length);
  return value.map((item: unknown, i) => {
    const source = `${input.source}[${i}]`;
    // Each payload of an array keeps the limit of a payload on its own.
    const size = Buffer.byteLength(JSON.stringify(item) ?? '');
    if (size > MAX_PAYLOAD_BYTES) throw payloadTooLarge(size, source);
    return { value: item, source };
  });
}

/**
 * Validates every payload of a batch, reporting every problem of every payload at once,
 * each under its payload's index, so that one bad payload means nothing is written.
 */
export function validateBatch(inputs: readonly PayloadInput[]): Feature[] {
  const problems: Problem[] = [];
  const payloads: SourcedPayload[] = [];
  let undecoded = 0;
  for (const input of inputs) {
    try {
      // Not push(...split): spreading 100,000 arguments can overflow the stack.
      for (const payload of splitPayloads(input, payloads.length)) payloads.push(payload);
    } catch (error) {
      if (!(error instanceof PetsageError) || error instanceof LimitExceeded) throw error;
      undecoded += 1;
      // An input that does not decode: its own path (the file), then its problems.
      problems.push({ path: error.path ?? input.source, message: error.text }, ...error.problems.map((problem) => ({ path: `${input.source}: ${problem.path}`, message: problem.message })));
    }
  }
  // One payload keeps its own error as it is: `<source>: the payload is invalid.` and its problems.
  if (problems.length === 0 && payloads.length === 1) return [validatePayload(payloads[0]!.value, payloads[0]!.source)];
  const features: Feature[] = [];
  const seen = new Map<string, number>();
  // An input that did not decode makes a batch too: the others are named by index and file.
  const count = payloads.length + undecoded;
  payloads.forEach(({ value, source }, index) => {
    // Each problem names its payload by index, as CI reads it, and says where it came from.
    const at = (path: string) => payloadPath(index, count, path);
    const from = count > 1 ? ` (${source})` : '';
    try {
      const feature = validatePayload(value, source);
      const first = seen.get(feature.names.snake);
      if (first !== undefined) problems.push({ path: at('feature'), message: `"${feature.names.snake}" is also payloads[${first}]; each feature may appear once${from}` });
      seen.set(feature.names.snake, index);
      features.push(feature);
    } catch (error) {
      if (!(error instanceof PetsageError)) throw error;
      for (const problem of error.problems) problems.push({ path: at(problem.path ?? 'payload'), message: `${problem.message}${from}` });
    }
  });
  if (problems.length > 0) {
    throw invalidInput(`the input is invalid${count > 1 ? ` (${count} payloads)` : ''}; nothing was written.`, { problems });
  }
  if (features.length === 0) {
    throw invalidInput('the input holds no payload.', { ...(inputs.length === 1 && { path: inputs[0]!.source }), hints: ['Pass a payload object, or a JSON array of at least one.'] });
  }
  return features;
}
