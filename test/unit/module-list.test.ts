import { describe, expect, it } from 'vitest';
import { analyse, patchAggregator, patchAggregatorMany, type AggregatorEdit } from '../../src/python/aggregator.js';
import { removeRegistration } from '../../src/python/registration.js';

const FILE = 'app/api/main.py';
const ORIGINAL = [
  'from fastapi import APIRouter',
  '',
  'from app.api.routes import items, login, private, utils',
  'from app.core.config import settings',
  '',
  'api_router = APIRouter()',
  'api_router.include_router(login.router)',
  'api_router.include_router(items.router)',
  '',
].join('\n');

const edit = (feature: string): AggregatorEdit & { routerVar: string } => ({
  file: FILE,
  routerVar: 'api_router',
  routerModule: `app.api.routes.${feature}`,
  aggregatorPackage: 'app.api',
  alias: `${feature}_router`,
  segment: `/${feature.replaceAll('_', '-')}`,
  apiPrefix: '/api/v1',
  comment: feature,
  prefixInModule: true,
});

// What ruff's isort (I001) and ruff format want once the list no longer fits in 88 columns.
const WRAPPED = ORIGINAL.replace(
  'from app.api.routes import items, login, private, utils',
  ['from app.api.routes import (', '    grooming_appointments,', '    items,', '    login,', '    pet_food,', '    private,', '    utils,', '    vet_visits,', ')'].join('\n'),
).replace('api_router.include_router(items.router)\n', 'api_router.include_router(items.router)\napi_router.include_router(pet_food.router)\napi_router.include_router(vet_visits.router)\napi_router.include_router(grooming_appointments.router)\n');

const FEATURES = ['pet_food', 'vet_visits', 'grooming_appointments'];

describe('a module list the features make too long', () => {
  it('is wrapped one name per line when the third feature joins it, one run at a time', () => {
    let text = ORIGINAL;
    const lines: string[] = [];
    for (const feature of FEATURES) {
      text = patchAggregator(text, edit(feature)).text;
      lines.push(text.split('\n')[2]!);
    }
    // 65 and 77 columns fit; 100 would not.
    expect(lines.slice(0, 2)).toEqual(['from app.api.routes import items, login, pet_food, private, utils', 'from app.api.routes import items, login, pet_food, private, utils, vet_visits']);
    expect(text).toBe(WRAPPED);
  });

  it('is wrapped the same way by one batch of the three', () => {
    expect(patchAggregatorMany(ORIGINAL, FEATURES.map(edit)).text).toBe(WRAPPED);
  });

  it.each([
    ['last added first', [2, 1, 0]],
    ['first added first', [0, 1, 2]],
    ['the wrapping one in the middle', [0, 2, 1]],
  ])('goes back to the original bytes when the three are removed, %s', (_, order) => {
    let text = ORIGINAL;
    const added: Record<string, ReturnType<typeof patchAggregator>['added']> = {};
    for (const feature of FEATURES) {
      const patch = patchAggregator(text, edit(feature));
      text = patch.text;
      added[feature] = patch.added;
    }
    for (const i of order) {
      const feature = FEATURES[i]!;
      const removal = removeRegistration(text, added[feature]!, edit(feature), analyse(text, edit(feature)));
      if (!removal.ok) throw new Error(JSON.stringify(removal.problems));
      text = removal.text;
    }
    expect(text).toBe(ORIGINAL);
  });

  it('stays on one line while it fits, and a list already one name per line keeps that shape', () => {
    expect(patchAggregator(ORIGINAL, edit('pets')).text).toContain('from app.api.routes import items, login, pets, private, utils\n');
    const vertical = ORIGINAL.replace('import items, login, private, utils', 'import (\n    items,\n    login,\n)');
    expect(patchAggregator(vertical, edit('pets')).text).toContain('import (\n    items,\n    login,\n    pets,\n)');
  });
});
