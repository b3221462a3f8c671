import { invalidInput, PetsageError } from '../errors.js';
import { decodePayload } from './decode.js';
import type { PayloadInput } from './input.js';
import { validatePayload, type Feature } from './schema.js';

/** One payload of a batch, with how messages name it. */
export interface SourcedPayload {
  value: unknown;
  source: string;
}

const isNdjson = (text: string) => {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  return lines.length > 1 && lines.every((line) => line.trimStart().startsWith('{'));
};

/**
 * The payloads in one input: a payload (JSON, base64 or envelope), a JSON array of payloads,
 * or, on stdin, NDJSON with one payload per line.
 */
export function splitPayloads(input: PayloadInput): SourcedPayload[] {
  const text = new TextDecoder().decode(input.bytes);
  if (input.source === 'stdin' && isNdjson(text)) {
    let json = true;
    try {
      JSON.parse(text);
    } catch {
      json = false;
    }
    if (!json) {
      return text.split(/\r?\n/).flatMap((line, i) =>
        line.trim() === '' ? [] : [{ value: decodePayload(Buffer.from(line), `stdin line ${i + 1}`), source: `stdin line ${i + 1}` }],
      );
    }
  }
  const value = decodePayload(input.bytes, input.source);
  return Array.isArray(value) ? value.map((item, i) => ({ value: item, source: `${input.source}[${i}]` })) : [{ value, source: input.source }];
}

/**
 * Validates every payload of a batch, reporting every problem of every payload at once,
 * each under its payload's index, so that one bad payload means nothing is written.
 */
export function validateBatch(inputs: readonly PayloadInput[]): Feature[] {
  const problems: string[] = [];
  const payloads: SourcedPayload[] = [];
  for (const input of inputs) {
    try {
      payloads.push(...splitPayloads(input));
    } catch (error) {
      if (!(error instanceof PetsageError)) throw error;
      problems.push(error.message, ...error.details.map((line) => `  ${line}`));
    }
  }
  // One payload keeps its own error as it is: `<source>: the payload is invalid.` and its problems.
  if (problems.length === 0 && payloads.length === 1) return [validatePayload(payloads[0]!.value, payloads[0]!.source)];
  const features: Feature[] = [];
  const seen = new Map<string, number>();
  payloads.forEach(({ value, source }, index) => {
    const label = payloads.length > 1 ? `payload ${index} (${source})` : source;
    try {
      const feature = validatePayload(value, label);
      const first = seen.get(feature.names.snake);
      if (first !== undefined) problems.push(`${label}: feature "${feature.names.snake}" is also payload ${first}; each feature may appear once.`);
      seen.set(feature.names.snake, index);
      features.push(feature);
    } catch (error) {
      if (!(error instanceof PetsageError)) throw error;
      problems.push(`${label}:`, ...error.details.map((line) => `  ${line}`));
    }
  });
  if (problems.length > 0) {
    const count = payloads.length > 1 ? ` (${payloads.length} payloads)` : '';
    throw invalidInput(`the input is invalid${count}; nothing was written.`, problems);
  }
  if (features.length === 0) throw invalidInput('the input holds no payload.');
  return features;
}
