import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodePayload, HOW_TO, MAX_PAYLOAD_BYTES } from '../../src/payload/decode.js';
import { validatePayload } from '../../src/payload/payload.js';
import { failure } from '../helpers/errors.js';
import { fixture } from '../helpers/paths.js';

const smokeTest = JSON.parse(readFileSync(fixture('payloads/smoke_test.json'), 'utf8'));

describe('decodePayload accepts each form of the same payload', () => {
  const validDir = fixture('payloads/valid');
  it.each(['smoke_test.b64', 'smoke_test.envelope.json'])('%s', (file) => {
    expect(decodePayload(readFileSync(path.join(validDir, file)), file)).toEqual(smokeTest);
  });

  it('strips a leading byte-order mark', () => {
    const decoded = decodePayload(readFileSync(path.join(validDir, 'with_bom.json')), 'with_bom.json');
    expect(decoded).toEqual({ feature: 'pet_profile', description: 'Profiles of pets' });
  });

  it('ignores envelope fields other than message.data', () => {
    const data = Buffer.from(JSON.stringify(smokeTest)).toString('base64');
    const envelope = { message: { data, publishTime: 'x', attributes: { a: 'b' } }, subscription: 'sub', deliveryAttempt: 3 };
    expect(decodePayload(Buffer.from(JSON.stringify(envelope)), 'env')).toEqual(smokeTest);
  });

  it('says why text is not base64: URL-safe, unpadded, or a stray character', () => {
    const json = Buffer.from('{"feature":"eps","description":"~~~~"}');
    const standard = json.toString('base64');
    const message = (text: string) => failure(() => decodePayload(Buffer.from(text), 'p')).message;
    expect(message(json.toString('base64url'))).toBe(`p: is neither JSON nor valid base64 (as base64, it looks like URL-safe base64 (- and _), and standard base64 (+ and /) is taken). ${HOW_TO}`);
    expect(message(standard.replace(/=+$/, ''))).toBe(`p: is neither JSON nor valid base64 (as base64, its length, ${standard.replace(/=+$/, '').length}, is not a multiple of 4: standard base64 is padded with =). ${HOW_TO}`);
    expect(message(`${standard.slice(0, 8)}*${standard.slice(9)}`)).toBe(`p: is neither JSON nor valid base64 (as base64, "*" at offset 8 is not a base64 character). ${HOW_TO}`);
  });

  it('says JSON that is not an object is JSON of another kind, not broken base64', () => {
    const message = (text: string) => failure(() => decodePayload(Buffer.from(text), 'p.json')).message;
    expect(message('"pets"')).toBe(`p.json: is JSON, but a string, not an object. ${HOW_TO}`);
    expect(message(' -3.5\n')).toBe(`p.json: is JSON, but a number, not an object. ${HOW_TO}`);
    expect(message('"{\\"feature\\": \\"x\\"}"')).toBe(`p.json: is JSON, but a string, not an object. ${HOW_TO}`);
    // Text that is base64 as well (true, 1234) cannot be a payload in base64, which starts with `e` ({).
    expect(message('true')).toBe(`p.json: is JSON, but true, not an object. ${HOW_TO}`);
    expect(message('1234')).toBe(`p.json: is JSON, but a number, not an object. ${HOW_TO}`);
    expect(message('null')).toBe(`p.json: is JSON, but null, not an object. ${HOW_TO}`);
  });

  it('says text that only happens to be base64 (a bare word, digits on lines) is neither a JSON object nor base64 of one', () => {
    const message = (text: string) => failure(() => decodePayload(Buffer.from(text), 'p')).message;
    expect(message('pets')).toBe(`p: is neither a JSON object nor the base64 of one (as base64, it decodes to something else). ${HOW_TO}`);
    expect(message('42\n43\n')).toBe(`p: is neither a JSON object nor the base64 of one (as base64, it decodes to something else). ${HOW_TO}`);
    expect(message(Buffer.from('["not", "an object"]').toString('base64'))).toBe(`p: is neither a JSON object nor the base64 of one (as base64, it decodes to something else). ${HOW_TO}`);
  });

  it('names `message` itself when an envelope holds no object there', () => {
    const error = failure(() => decodePayload(Buffer.from('{"message": "hi"}'), 'p.json'));
    expect(error.message).toBe('p.json: is a message envelope without its payload.');
    expect(error.problems).toEqual([{ path: 'message', message: 'a message envelope needs an object here, {"data": "<base64 JSON>"}' }]);
    expect(failure(() => decodePayload(Buffer.from('{"message": {"data": 5}}'), 'p.json')).problems).toEqual([{ path: 'message.data', message: 'a message envelope needs a base64 string here' }]);
  });

  it('rejects base64 with its padding bits set, which lenient decoders accept', () => {
    const canonical = Buffer.from('{"a":1}').toString('base64'); // eyJhIjoxfQ==
    const sloppy = `${canonical.slice(0, -3)}R==`;
    expect(Buffer.from(sloppy, 'base64').toString()).toBe('{"a":1}');
    expect(failure(() => decodePayload(Buffer.from(sloppy), 'sloppy')).message).toMatch(/valid base64/);
  });

  it('names the first invalid UTF-8 byte, counting in the decoded bytes when it is inside base64', () => {
    const latin1 = Buffer.concat([Buffer.from('{"feature": "caf'), Buffer.from([0xe9]), Buffer.from('"}')]);
    expect(failure(() => decodePayload(latin1, 'p.json')).message).toBe('p.json: is not valid UTF-8 (byte 0xE9 at offset 16, line 1). Save the payload as UTF-8.');
    expect(failure(() => decodePayload(Buffer.from(latin1.toString('base64')), 'p.b64')).message).toBe(
      'p.b64: is not valid UTF-8 (byte 0xE9 at offset 16, line 1 of the base64-decoded bytes). Save the payload as UTF-8.',
    );
  });

  it('rejects a payload over 1 MiB before parsing it', () => {
    const error = failure(() => decodePayload(Buffer.alloc(MAX_PAYLOAD_BYTES + 1, 0x20), 'big.json'));
    expect(error.exitCode).toBe(2);
    expect(error.message).toMatch(/at most 1048576 bytes/);
  });
});

describe('every invalid payload fixture fails with its expected message and exit 2', () => {
  const invalidDir = fixture('payloads/invalid');
  const expected: Record<string, string[]> = JSON.parse(readFileSync(fixture('expected/invalid-payloads.json'), 'utf8'));
  const files = readdirSync(invalidDir).sort();

  it('has an expectation for each fixture, and a fixture for each expectation', () => {
    expect(Object.keys(expected).sort()).toEqual(files);
  });

  it.each(files)('%s', (file) => {
    const error = failure(() => validatePayload(decodePayload(readFileSync(path.join(invalidDir, file)), '<file>'), '<file>'));
    expect(error.exitCode).toBe(2);
    expect([error.message, ...error.details]).toEqual(expected[file]);
  });
});

describe('decodePayload says where and what is wrong with text that is not one payload', () => {
  const refusal = (text: string) => failure(() => decodePayload(Buffer.from(text), 'p.json'));

  it('an empty file is empty', () => {
    expect(refusal(' \n').text).toMatch(/^is empty\. Pass a JSON object/);
  });

  it('names the line and column where the JSON breaks, not an offset', () => {
    expect(refusal('{\n  "feature": "a_b",\n  "description": "x",\n}\n').text).toMatch(/^is not valid JSON \(.* at line 4 column 1\)\. Pass a JSON object/);
  });

  it('says how to give several payloads when one ends and another follows', () => {
    const error = refusal('{\n "feature": "a_b", "description": "x"\n}\n{\n "feature": "c_d", "description": "y"\n}\n');
    expect(error.text).toMatch(/ at line 4 column 1\)\. Several payloads go one per line \(NDJSON, with no line break inside one\) or in a JSON array\.$/);
  });
});
