import { describe, expect, it } from 'vitest';
import { addToRegistry, removeFromRegistry } from '../../src/python/registry.js';

const EMPTY = '"""Every table."""\n\nfrom app.db.base import Base\n\nmetadata = Base.metadata\n\n__all__ = ["metadata"]\n';
const pets = { module: 'app.api.v1.modules.pet_profiles.models', name: 'Pet' };
const households = { module: 'app.api.v1.modules.households.models', name: 'Household' };
const BOTH =
  '"""Every table."""\n\n' +
  'from app.api.v1.modules.households.models import Household\n' +
  'from app.api.v1.modules.pet_profiles.models import Pet\n' +
  'from app.db.base import Base\n\nmetadata = Base.metadata\n\n__all__ = ["Household", "Pet", "metadata"]\n';

describe('the models registry', () => {
  it('imports each model where isort puts it and names it in __all__ in RUF022 order, in any order of adding', () => {
    expect(addToRegistry(addToRegistry(EMPTY, households), pets)).toBe(BOTH);
    expect(addToRegistry(addToRegistry(EMPTY, pets), households)).toBe(BOTH);
  });

  it('takes back the blank line it added with a lone import after a docstring (a registry of no models yet)', () => {
    const bare = '"""Models."""\n\n__all__ = []\n';
    const pets = { module: 'app.pets.models', name: 'Pet' };
    const added = addToRegistry(bare, pets);
    expect(added).toBe('"""Models."""\n\nfrom app.pets.models import Pet\n\n__all__ = ["Pet"]\n');
    expect(removeFromRegistry(added, pets)).toBe(bare);
    const crlf = bare.replaceAll('\n', '\r\n');
    expect(removeFromRegistry(addToRegistry(crlf, pets), pets)).toBe(crlf);
  });

  it('keeps an annotated __all__ annotated, adding and taking names back', () => {
    const annotated = '"""Models."""\n\nfrom app.users import User\n\n__all__: list[str] = ["User"]\n';
    const pets = { module: 'app.pets.models', name: 'Pet' };
    const added = addToRegistry(annotated, pets);
    expect(added).toContain('__all__: list[str] = ["Pet", "User"]\n');
    expect(removeFromRegistry(added, pets)).toBe(annotated);
    const narrow = addToRegistry(annotated, pets, 30);
    expect(narrow).toContain('__all__: list[str] = [\n    "Pet",\n    "User",\n]\n');
    expect(removeFromRegistry(narrow, pets, 30)).toBe(annotated);
  });

  it('changes nothing for a model already registered', () => {
    expect(addToRegistry(BOTH, pets)).toBe(BOTH);
  });

  it('explodes __all__ one name per line when it no longer fits, and keeps an exploded list exploded', () => {
    const narrow = addToRegistry(addToRegistry(EMPTY, households, 40), pets, 40);
    expect(narrow).toContain('__all__ = [\n    "Household",\n    "Pet",\n    "metadata",\n]\n');
    const exploded = EMPTY.replace('__all__ = ["metadata"]', '__all__ = [\n    "metadata",\n]');
    expect(addToRegistry(exploded, pets)).toContain('__all__ = [\n    "Pet",\n    "metadata",\n]\n');
  });

  it('wraps an import that does not fit as isort does, and takes it back out whole', () => {
    const long = { module: 'app.api.v1.modules.xaaa7w_d_yyyyyyyyyyyyyyy_api_zzz.models', name: 'Xaaa7wDYyyyyyyyyyyyyyy' };
    const added = addToRegistry(EMPTY, long);
    expect(added).toContain(`from ${long.module} import (\n    ${long.name},\n)\nfrom app.db.base import Base\n`);
    expect(addToRegistry(added, long)).toBe(added);
    expect(removeFromRegistry(added, long)).toBe(EMPTY);
  });

  it('sorts names with numbers naturally (Table9 before Table10)', () => {
    const text = addToRegistry(addToRegistry(EMPTY, { module: 'a.t10', name: 'Table10' }), { module: 'a.t9', name: 'Table9' });
    expect(text).toContain('__all__ = ["Table9", "Table10", "metadata"]');
    expect(text.indexOf('from a.t9 import')).toBeLessThan(text.indexOf('from a.t10 import'));
  });

  it('keeps CRLF line endings', () => {
    const crlf = EMPTY.replaceAll('\n', '\r\n');
    expect(addToRegistry(crlf, pets)).toBe(addToRegistry(EMPTY, pets).replaceAll('\n', '\r\n'));
  });

  it('puts the first import after the docstring when the file has none', () => {
    expect(addToRegistry('"""Tables."""\n', pets)).toBe('"""Tables."""\n\nfrom app.api.v1.modules.pet_profiles.models import Pet\n');
  });

  it('is taken back out to the bytes before, and removing what is not there changes nothing', () => {
    const one = addToRegistry(EMPTY, households);
    expect(removeFromRegistry(BOTH, pets)).toBe(one);
    expect(removeFromRegistry(one, households)).toBe(EMPTY);
    expect(removeFromRegistry(EMPTY, pets)).toBe(EMPTY);
  });

  it('takes out a model the user moved around, leaving their own lines', () => {
    const edited = BOTH.replace('metadata = Base.metadata\n', 'metadata = Base.metadata  # the whole schema\nEXTRA = 1\n').replace('"metadata"]', '"metadata", "EXTRA"]');
    const removed = removeFromRegistry(edited, pets);
    expect(removed).not.toContain('Pet');
    expect(removed).toContain('EXTRA = 1');
    expect(removed).toContain('__all__ = ["Household", "metadata", "EXTRA"]');
  });

  it('gives back the one-line __all__ an add exploded, whichever model goes', () => {
    const one = addToRegistry(EMPTY, households, 40);
    const both = addToRegistry(one, pets, 40);
    expect(both).toContain('__all__ = [\n');
    expect(removeFromRegistry(both, pets, 40)).toBe(one);
    expect(removeFromRegistry(both, households, 40)).toBe(addToRegistry(EMPTY, pets, 40));
    expect(removeFromRegistry(removeFromRegistry(both, pets, 40), households, 40)).toBe(EMPTY);
  });

  it("keeps the user's layout of __all__: an exploded short list, comments, trailing commas", () => {
    const exploded = BOTH.replace('__all__ = ["Household", "Pet", "metadata"]', '__all__ = [\n    "Household",\n    "Pet",\n    "metadata",\n]');
    expect(removeFromRegistry(exploded, pets)).toContain('__all__ = [\n    "Household",\n    "metadata",\n]\n');
    const commented = BOTH.replace('__all__ = ["Household", "Pet", "metadata"]', '__all__ = [\n    # the tables\n    "Household",  # homes\n    "Pet",  # pets\n    "metadata",\n]  # for Alembic');
    expect(removeFromRegistry(commented, pets)).toBe(
      commented.replace('from app.api.v1.modules.pet_profiles.models import Pet\n', '').replace('    "Pet",  # pets\n', ''),
    );
    const inline = (list: string) => BOTH.replace('["Household", "Pet", "metadata"]', list);
    expect(removeFromRegistry(inline('["metadata", "Pet",]'), pets)).toContain('__all__ = ["metadata",]\n');
    expect(removeFromRegistry(inline('["metadata", "Pet"]'), pets)).toContain('__all__ = ["metadata"]\n');
    expect(removeFromRegistry(inline('["Pet", "metadata"]'), pets)).toContain('__all__ = ["metadata"]\n');
    expect(removeFromRegistry(inline('["Pet",]'), pets)).toContain('__all__ = []\n');
    expect(removeFromRegistry(inline("['Pet', 'metadata']  # mine"), pets)).toContain("__all__ = ['metadata']  # mine\n");
  });

  it('leaves a registry the user rewrote without the model as it is', () => {
    const rewritten = '"""Mine."""\n\nfrom app.db.base import Base\n\nmetadata = Base.metadata\n__all__ = ("metadata",)\n';
    expect(removeFromRegistry(rewritten, pets)).toBe(rewritten);
    const aliased = BOTH.replace('import Pet\n', 'import Pet as Pet\n');
    expect(removeFromRegistry(aliased, pets)).toBe(aliased.replace('"Pet", ', ''));
    expect(removeFromRegistry('', pets)).toBe('');
  });
});

describe('the models registry, a batch at once', () => {
  const many = Array.from({ length: 12 }, (_, i) => ({ module: `app.res_${(i * 7) % 12}.models`, name: `Item${(i * 7) % 12}` }));

  it('gives the bytes of adding the entries one by one, in any order', () => {
    const oneByOne = many.reduce((text, entry) => addToRegistry(text, entry), EMPTY);
    expect(addToRegistry(EMPTY, many)).toBe(oneByOne);
    expect(addToRegistry(EMPTY, [...many].reverse())).toBe(oneByOne);
    expect(addToRegistry('"""Tables."""\n', many)).toBe(many.reduce((text, entry) => addToRegistry(text, entry), '"""Tables."""\n'));
  });

  it('skips entries already there and repeated ones', () => {
    const first = addToRegistry(EMPTY, many.slice(0, 5));
    expect(addToRegistry(first, [...many, many[0]!])).toBe(addToRegistry(EMPTY, many));
  });
});
