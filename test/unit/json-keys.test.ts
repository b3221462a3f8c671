import { describe, expect, it } from 'vitest';
import { checkJsonKeys } from '../../src/payload/json-keys.js';

describe('checkJsonKeys', () => {
  it('accepts the same key in different objects, and key-like text inside strings', () => {
    expect(checkJsonKeys('{"a": {"k": 1}, "b": {"k": "\\"k\\": \\"__proto__\\""}, "c": ["k", "k"]}', 32)).toEqual([]);
  });

  it('names a duplicate or forbidden key by its path, array indexes included', () => {
    expect(checkJsonKeys('{"r": [1, {"constructor": 1}], "x": {"y": 1, "y": 2}, "prototype": null}', 32)).toEqual([
      { path: 'r.1.constructor', message: 'the key "constructor" is not allowed' },
      { path: 'x.y', message: 'appears twice; keep one' },
      { path: 'prototype', message: 'the key "prototype" is not allowed' },
    ]);
  });

  it('sees through escapes in keys', () => {
    expect(checkJsonKeys('{"\\u0061": 1, "a": 2}', 32)).toEqual([{ path: 'a', message: 'appears twice; keep one' }]);
  });

  it('stops at the first level past the limit', () => {
    expect(checkJsonKeys('[[[1]]]', 2)).toEqual([{ path: '0.0', message: 'is nested more than 2 levels deep; a payload is a flat object' }]);
    expect(checkJsonKeys('[[1]]', 2)).toEqual([]);
  });
});
