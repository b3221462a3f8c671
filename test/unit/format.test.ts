import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDef, formatStringAssignment, formatStringItem, isortKey, sortByKey, splitStringLiteral } from '../../src/python/format.js';
import { importNameKey } from '../../src/python/layout.js';
import { stringValue } from '../../src/python/scan.js';

const literalValue = (literal: string) => stringValue({ kind: 'string', text: literal, start: 0, end: literal.length }) ?? '<not a literal>';
const text = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 300 }), fc.constantFrom('word '.repeat(60), 'x'.repeat(250), 'a\nb\n\nc'));

describe('string assignments at a line length', () => {
  it('is one line when it fits, the string alone in parentheses when that fits, else parts that each fit', () => {
    expect(formatStringAssignment('NAME', 'short', 79)).toBe('NAME = "short"');
    expect(formatStringAssignment('NAME', 'x'.repeat(71), 79)).toBe(`NAME = (\n    "${'x'.repeat(71)}"\n)`);
    expect(formatStringAssignment('NAME', `${'a'.repeat(60)} ${'b'.repeat(30)}`, 79)).toBe(`NAME = (\n    "${'a'.repeat(60)} "\n    "${'b'.repeat(30)}"\n)`);
  });

  it('splits into parts that fit, one per line of text, which together are the value', () => {
    fc.assert(
      fc.property(text, fc.integer({ min: 30, max: 120 }), (value, width) => {
        const parts = splitStringLiteral(value, width);
        for (const part of parts) expect(part.length).toBeLessThanOrEqual(width);
        expect(parts.map(literalValue).join('')).toBe(value);
        for (const part of parts.slice(0, -1)) if (literalValue(part).includes('\n')) expect(literalValue(part).endsWith('\n')).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('lays out a list item with its comma within the line', () => {
    fc.assert(
      fc.property(text, fc.integer({ min: 40, max: 120 }), (value, lineLength) => {
        const item = formatStringItem(value, '    ', lineLength);
        expect(item.endsWith(',')).toBe(true);
        for (const line of item.split('\n')) expect(line.length).toBeLessThanOrEqual(lineLength);
      }),
      { numRuns: 300 },
    );
  });
});

describe('def at a line length', () => {
  it('explodes the parameters, with a trailing comma, only when the line is too long', () => {
    expect(formatDef('get_status', ['now: datetime'], 'PetStatus', 79)).toBe('def get_status(now: datetime) -> PetStatus:');
    expect(formatDef('get_status', ['now: datetime'], `${'A'.repeat(40)}Status`, 79)).toBe(`def get_status(\n    now: datetime,\n) -> ${'A'.repeat(40)}Status:`);
  });
});

describe('isortKey', () => {
  it('orders module names as ruff does: case-insensitively, numbers by value', () => {
    const modules = ['app.len_100', 'App.len_99', 'app.len_9', 'app.b', 'app.A'];
    expect([...modules].sort((a, b) => (isortKey(a) < isortKey(b) ? -1 : 1))).toEqual(['app.A', 'app.b', 'app.len_9', 'App.len_99', 'app.len_100']);
  });

  it('orders a digit run with a leading zero digit by digit, before the others, as ruff 0.17 does', () => {
    const modules = ['m.a719', 'm.a04172', 'm.a10', 'm.a9', 'm.a010', 'm.a0', 'm.a007', 'm.a1'];
    expect([...modules].sort((a, b) => (isortKey(a) < isortKey(b) ? -1 : 1))).toEqual(['m.a0', 'm.a007', 'm.a010', 'm.a04172', 'm.a1', 'm.a9', 'm.a10', 'm.a719']);
  });

  it('puts a run of digits with a leading zero before the others, compared from the left (ruff 0.17 put them so)', () => {
    const modules = ['m10', 'm9', 'm073', 'm1', 'm09'];
    expect([...modules].sort((a, b) => (isortKey(a) < isortKey(b) ? -1 : 1))).toEqual(['m073', 'm09', 'm1', 'm9', 'm10']);
    const names = ['K9c', 'K073c', 'K10', 'K010', 'K0', 'K00', 'K1', 'K01', 'K9a', 'K0073'];
    expect([...names].sort((a, b) => (importNameKey(a) < importNameKey(b) ? -1 : 1))).toEqual(['K0', 'K00', 'K0073', 'K01', 'K010', 'K1', 'K10', 'K073c', 'K9a', 'K9c']);
  });
});

describe('sortByKey', () => {
  it('orders by the plain string order of the key, equal keys as given, short and long lists alike', () => {
    // Items are [key, position]; the expected order compares keys by code unit, then position.
    const byKeyThenPosition = (a: [string, number], b: [string, number]) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1]);
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 3, unit: fc.constantFrom('a', 'b', 'B', '1', '_') }), { maxLength: 40 }), (keys) => {
        const items = keys.map((key, position): [string, number] => [key, position]);
        expect(sortByKey(new Set(items), ([key]) => key)).toEqual([...items].sort(byKeyThenPosition));
      }),
    );
  });
});
