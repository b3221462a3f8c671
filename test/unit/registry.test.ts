import { describe, expect, it } from 'vitest';
import { unpatchAggregator } from '../../src/python/edits.js';
import { addToRegistry } from '../../src/python/registry.js';

const DOC = '"""Every table of the app."""\n';
const pets = { module: 'app.api.v1.modules.pet_profiles.models', name: 'Pet' };
const households = { module: 'app.api.v1.modules.households.models', name: 'Household' };

describe('the models registry', () => {
  it('puts the first import after the docstring, a blank line between', () => {
    expect(addToRegistry(DOC, pets).text).toBe(`${DOC}\nfrom app.api.v1.modules.pet_profiles.models import Pet as Pet\n`);
  });

  it('puts an import where isort sorts it, by module', () => {
    const one = addToRegistry(DOC, pets).text;
    expect(addToRegistry(one, households).text).toBe(
      `${DOC}\nfrom app.api.v1.modules.households.models import Household as Household\nfrom app.api.v1.modules.pet_profiles.models import Pet as Pet\n`,
    );
    const other = addToRegistry(addToRegistry(DOC, households).text, pets).text;
    expect(other).toBe(addToRegistry(one, households).text);
  });

  it('sorts module names with numbers as isort does (len_9 before len_10)', () => {
    const ten = addToRegistry(DOC, { module: 'app.len_10.models', name: 'A' }).text;
    expect(addToRegistry(ten, { module: 'app.len_9.models', name: 'B' }).text.indexOf('len_9')).toBeLessThan(
      addToRegistry(ten, { module: 'app.len_9.models', name: 'B' }).text.indexOf('len_10'),
    );
  });

  it('changes nothing when the import is there, however it is written', () => {
    const source = `${DOC}\nfrom app.api.v1.modules.pet_profiles.models import (\n    Pet as Pet,\n)\n`;
    expect(addToRegistry(source, pets)).toEqual({ text: source, added: [] });
  });

  it('keeps CRLF line endings and a file without a final newline', () => {
    const crlf = '"""Tables."""\r\n\r\nfrom app.a.models import A as A\r\n';
    expect(addToRegistry(crlf, pets).text).toBe(`${crlf}from app.api.v1.modules.pet_profiles.models import Pet as Pet\r\n`);
    const bare = `${DOC}\nfrom app.a.models import A as A`;
    expect(addToRegistry(bare, pets).text).toBe(`${bare}\nfrom app.api.v1.modules.pet_profiles.models import Pet as Pet\n`);
  });

  it('is taken back out byte for byte by what it says it added', () => {
    const base = addToRegistry(DOC, households).text;
    const { text, added } = addToRegistry(base, pets);
    expect(unpatchAggregator(text, added, 'app/db/tables.py').text).toBe(base);
    const first = addToRegistry(DOC, pets);
    expect(unpatchAggregator(first.text, first.added, 'app/db/tables.py').text).toBe(DOC);
  });
});
