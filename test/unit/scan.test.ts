import { describe, expect, it } from 'vitest';
import { pythonProblems, scanLogicalLines, scanPython, stringValue } from '../../src/python/scan.js';

const firstTokens = (source: string) => scanLogicalLines(source).map((line) => `${line.indent.length}:${line.tokens[0]?.text}`);

describe('scanLogicalLines', () => {
  it('joins bracketed and backslash-continued lines into one logical line', () => {
    const source = 'x = f(\n    1,\n    2,\n)\ny = 1 + \\\n    2\nz = 3\n';
    expect(firstTokens(source)).toEqual(['0:x', '0:y', '0:z']);
  });

  it('skips comments and blank lines, and sees indentation', () => {
    expect(firstTokens('# c\n\nif a:\n    b = 1  # x\n\tc = 2\n')).toEqual(['0:if', '4:b', '1:c']);
  });

  it('treats every kind of string as one token, whatever it contains', () => {
    const source = [
      `a = """one\n# not a comment\nb = (\n"""`,
      `c = r'\\'' + b"\\"(" + f"{d['k']}" + rb'x'`,
      `e = f"{ {'a': '}'}['a'] } and {{literal}}"`,
      `g = f'{x:{width}}'`,
      `h = 1`,
    ].join('\n');
    expect(firstTokens(source)).toEqual(['0:a', '0:c', '0:e', '0:g', '0:h']);
    expect(scanLogicalLines(source)[0]!.tokens.map((token) => token.kind)).toEqual(['name', 'op', 'string']);
  });

  it('handles CRLF, a BOM and a last line without a newline', () => {
    const lines = scanLogicalLines('\ufeffa = 1\r\nb = (\r\n 2)');
    expect(lines.map((line) => line.tokens[0]?.text)).toEqual(['a', 'b']);
    expect(lines[0]!.start).toBe(1);
    expect(lines[1]!.end).toBe(lines[1]!.contentEnd);
  });
});

describe('stringValue', () => {
  it.each([
    [`"a\\"b"`, 'a"b'],
    [`'/x'`, '/x'],
    [`r"\\d"`, '\\d'],
    [`"\\x41\\u00e9\\U0001f600\\n"`, 'A\u00e9\u{1f600}\n'],
  ])('%s', (literal, value) => {
    expect(stringValue({ kind: 'string', text: literal, start: 0, end: literal.length })).toBe(value);
  });

  it('does not evaluate f-strings or bytes', () => {
    expect(stringValue({ kind: 'string', text: 'f"{x}"', start: 0, end: 6 })).toBeUndefined();
  });
});

describe('pythonProblems', () => {
  it.each([
    ['x = (1,\n', "'(' was never closed"],
    ['x = [1)]\n', "')' does not match '['"],
    ['x = 1)\n', "unmatched ')'"],
    ["x = 'open\n", 'unterminated string literal'],
    ['x = f(\n    1,\n)\n', undefined],
  ])('finds what the full scan finds, without its lines: %j', (source, message) => {
    expect(pythonProblems(source)).toEqual(scanPython(source).problems);
    expect(pythonProblems(source)[0]?.message).toBe(message);
  });
});

describe('merge conflict markers', () => {
  const conflicted = ['from a import x', '<<<<<<< HEAD', 'from b import y', '||||||| base', '=======', 'from c import z', '>>>>>>> feature/c', ''].join('\n');

  it('are each a problem where they stand, as Python rejects them', () => {
    const problems = pythonProblems(conflicted);
    expect(problems.map((problem) => conflicted.slice(problem.offset, problem.offset + 7))).toEqual(['<<<<<<<', '|||||||', '=======', '>>>>>>>']);
    expect(new Set(problems.map((problem) => problem.message))).toEqual(new Set(['a merge conflict marker: resolve the merge first']));
    // Inside brackets, with CRLF line ends, and at the very end of the file too.
    expect(pythonProblems('from m import (\r\n<<<<<<< ours\r\n    a,\r\n)\r\n').map((problem) => problem.offset)).toEqual([17]);
    expect(pythonProblems('x = 1\n=======')).toHaveLength(1);
  });

  it('are not the operators, strings or comments that look like them', () => {
    expect(pythonProblems('x = 1 << 2\nx <<= 3\ny = x == 1\n')).toEqual([]);
    expect(pythonProblems('"""\n=======\n"""\n# =======\n')).toEqual([]);
    // Indented, or run on past seven: not what git writes.
    expect(pythonProblems('if x:\n    pass\n  <<<<<<< no\n').map((problem) => problem.message)).not.toContain('a merge conflict marker: resolve the merge first');
    expect(pythonProblems('x = 1\n========\n').map((problem) => problem.message)).not.toContain('a merge conflict marker: resolve the merge first');
  });
});
