import Handlebars from 'handlebars';
import { describe, expect, it } from 'vitest';
import { COMPILE_OPTIONS, setUpOnce } from '../../src/render/renderer.js';

/** A template as the bundle loads a built-in one: precompiled, then given to the runtime. */
function precompiled(env: typeof Handlebars, source: string) {
  const spec = new Function(`return ${Handlebars.precompile(source, COMPILE_OPTIONS)}`)();
  return setUpOnce(env.template(spec));
}

describe('a precompiled template set up once', () => {
  it('renders as set up on every call, also after being called as a partial, with the helpers registered then', () => {
    const env = Handlebars.create();
    env.registerHelper('shout', (text: unknown) => `${String(text).toUpperCase()}!`);
    const item = precompiled(env, '{{shout name}}');
    env.registerPartial('item', item);
    const list = precompiled(env, '{{#each items}}[{{> item}}]{{/each}}');
    const context = { items: [{ name: 'rex' }, { name: 'tom' }] };
    expect(list(context, { data: { root: context } })).toBe('[REX!][TOM!]');
    expect(item({ name: 'solo' }, { data: {} })).toBe('SOLO!');
    expect(list(context, { data: { root: context } })).toBe('[REX!][TOM!]');
    expect(item({ name: 'again' }, { data: {} })).toBe('AGAIN!');
  });

  it('still refuses a missing value (strict) on a later call', () => {
    const template = precompiled(Handlebars.create(), '{{a.b}}');
    expect(template({ a: { b: 'x' } }, { data: {} })).toBe('x');
    expect(() => template({ a: {} }, { data: {} })).toThrow(/"b" not defined/);
  });
});
