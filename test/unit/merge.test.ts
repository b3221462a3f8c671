import * as diff3 from 'node-diff3';
import { describe, expect, it } from 'vitest';
import { describeLines, MARKERS, mergeThreeWay, mergeWithoutBase } from '../../src/record/merge.js';
import { classifyOnDisk } from '../../src/record/ownership.js';

const lines = (...items: string[]) => items.map((item) => `${item}\n`).join('');
const BASE = lines('import a', '', 'def one():', '    return 1', '', 'def two():', '    return 2');

describe('classifyOnDisk: what a generated file on disk is, against the fresh render and its record', () => {
  it.each([
    ['absent', undefined, 'fresh', 'old'],
    ['same', 'fresh', 'fresh', 'old'],
    ['same', 'fresh', 'fresh', undefined],
    ['unedited', 'old', 'fresh', 'old'],
    ['edited', 'mine', 'fresh', 'old'],
    ['foreign', 'mine', 'fresh', undefined],
  ] as const)('%s: disk %s, fresh %s, recorded %s', (expected, disk, fresh, recorded) => {
    expect(classifyOnDisk(disk, fresh, recorded)).toBe(expected);
  });
});

describe('mergeThreeWay (base: generated last time, ours: the file now, theirs: the fresh render)', () => {
  it('keeps the user’s change and takes the template’s when they touch different lines', () => {
    const ours = BASE.replace('    return 1', '    return 10');
    const theirs = BASE.replace('import a', 'import a\nimport b');
    expect(mergeThreeWay(diff3, { base: BASE, ours, theirs })).toEqual({ clean: true, text: BASE.replace('import a', 'import a\nimport b').replace('    return 1', '    return 10') });
  });

  it('keeps an appended route and takes a changed docstring', () => {
    const ours = `${BASE}\n\ndef three():\n    return 3\n`;
    const theirs = BASE.replace('def two():', 'def two():  # two');
    const result = mergeThreeWay(diff3, { base: BASE, ours, theirs });
    expect(result).toEqual({ clean: true, text: `${theirs}\n\ndef three():\n    return 3\n` });
  });

  it('takes a change both sides made alike once, without a conflict', () => {
    const same = BASE.replace('return 2', 'return 22');
    expect(mergeThreeWay(diff3, { base: BASE, ours: same, theirs: same })).toEqual({ clean: true, text: same });
  });

  it('gives a conflict with standard markers and the line ranges of each side when both change the same lines', () => {
    const ours = BASE.replace('    return 1', '    return 10\n    # mine');
    const theirs = BASE.replace('    return 1', '    return 100');
    const result = mergeThreeWay(diff3, { base: BASE, ours, theirs });
    expect(result.clean).toBe(false);
    if (result.clean) return;
    expect(result.hunks).toEqual([{ ours: { start: 4, end: 5 }, theirs: { start: 4, end: 4 } }]);
    expect(result.text).toBe(
      lines('import a', '', 'def one():', MARKERS.ours, '    return 10', '    # mine', MARKERS.separator, '    return 100', MARKERS.theirs, '', 'def two():', '    return 2'),
    );
  });

  it('keeps CRLF line endings byte for byte where nothing changed', () => {
    const crlf = 'a\r\nb\r\nc\r\n';
    expect(mergeThreeWay(diff3, { base: crlf, ours: 'a\r\nB\r\nc\r\n', theirs: crlf })).toEqual({ clean: true, text: 'a\r\nB\r\nc\r\n' });
  });

  it('closes a conflicting last line that has no newline before the next marker', () => {
    const result = mergeThreeWay(diff3, { base: 'a\nb', ours: 'a\nmine', theirs: 'a\ntheirs' });
    expect(result.text).toBe(`a\n${MARKERS.ours}\nmine\n${MARKERS.separator}\ntheirs\n${MARKERS.theirs}\n`);
  });
});

describe('mergeWithoutBase (a record from before bases were kept)', () => {
  it('takes the shared lines and makes every differing region a conflict, whichever side changed it', () => {
    const result = mergeWithoutBase(diff3, { ours: lines('a', 'mine', 'c'), theirs: lines('a', 'new', 'c', 'd') });
    expect(result.clean).toBe(false);
    if (result.clean) return;
    expect(result.hunks).toEqual([
      { ours: { start: 2, end: 2 }, theirs: { start: 2, end: 2 } },
      { ours: { start: 4, end: 3 }, theirs: { start: 4, end: 4 } },
    ]);
    expect(result.text).toBe(lines('a', MARKERS.ours, 'mine', MARKERS.separator, 'new', MARKERS.theirs, 'c', MARKERS.ours, MARKERS.separator, 'd', MARKERS.theirs));
  });
});

describe('describeLines', () => {
  it.each([
    [{ start: 3, end: 3 }, 'line 3'],
    [{ start: 3, end: 5 }, 'lines 3-5'],
    [{ start: 4, end: 3 }, 'no line (after line 3)'],
    [{ start: 1, end: 0 }, 'no line (at the start)'],
  ])('%o is %s', (range, text) => {
    expect(describeLines(range)).toBe(text);
  });
});
