import { describe, expect, it } from 'vitest';
import { sameCode } from '../../src/python/same-code.js';

describe('sameCode: Python that differs in layout only', () => {
  it.each([
    ['line breaks inside brackets, and the magic trailing comma', 'x = f(a, b)\n', 'x = f(\n    a,\n    b,\n)\n'],
    ['a call of one argument exploded', 'x = f(a)\n', 'x = f(\n    a,\n)\n'],
    ['a list, a set and a dict exploded', 'x = [1]\ny = {2}\nz = {"k": 3}\n', 'x = [\n    1,\n]\ny = {\n    2,\n}\nz = {\n    "k": 3,\n}\n'],
    ['a tuple of two', 'x = (1, 2)\n', 'x = (\n    1,\n    2,\n)\n'],
    ['a signature and a class of one base', 'class A(B):\n    def f(self, a):\n        pass\n', 'class A(\n    B,\n):\n    def f(\n        self,\n        a,\n    ):\n        pass\n'],
    ['blank lines and spaces, comments moved', 'x = 1 # note\n\n\n\ny = 2\n', 'x = 1  # note\ny = 2\n'],
  ])('%s', (_, a, b) => {
    expect(sameCode(a, b)).toBe(true);
  });

  it.each([
    ['a comment added', 'x = 1\n', 'x = 1\n# mine\n'],
    ['a comment changed', 'x = 1  # a\n', 'x = 1  # b\n'],
    ['a statement moved out of a block', 'if a:\n    x = 1\n    y = 2\n', 'if a:\n    x = 1\ny = 2\n'],
    ['a value changed', 'x = f(a, b)\n', 'x = f(a, c)\n'],
    ["a docstring's text, rewrapped", 'def f():\n    """One two."""\n', 'def f():\n    """One\n    two."""\n'],
    ['a tuple of one made a value', 'x = (1,)\n', 'x = (1)\n'],
    ['a tuple of one returned', 'return (1,)\n', 'return (1)\n'],
    ['a subscript by a tuple of one', 'x = a[1,]\n', 'x = a[1]\n'],
    ['code that does not scan', 'x = (1\n', 'x = (1\n'],
  ])('not: %s', (_, a, b) => {
    expect(sameCode(a, b)).toBe(false);
  });
});
