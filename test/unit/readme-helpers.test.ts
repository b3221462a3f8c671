import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HELPERS } from '../../src/render/helpers.js';

describe("the README's list of template helpers", () => {
  it('names every helper an override can use, and no other', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const sentence = /Overrides keep the\s+helpers \(([^)]*)\)/.exec(readme)?.[1];
    expect(sentence, 'the sentence that lists the helpers').toBeDefined();
    const listed = [...sentence!.matchAll(/`(\w+)`/g)].map((match) => match[1]);
    expect(listed).toEqual(Object.keys(HELPERS));
  });
});
