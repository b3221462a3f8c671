import { describe, expect, it } from 'vitest';
import { resolveBlueprint } from '../../src/blueprint/config.js';
import { validatePayload } from '../../src/payload/payload.js';
import { planFeature } from '../../src/plan/plan.js';
import { failure } from '../helpers/errors.js';
import { projectWith } from '../helpers/tmp.js';

const DEPS = [
  'from typing import Annotated',
  '',
  'from fastapi import Depends',
  '',
  'from app.core.security import decode_token',
  '',
  '',
  'def get_current_user(token: str) -> str:',
  '    return decode_token(token)',
  '',
  '',
  'CurrentUser = Annotated[str, Depends(get_current_user)]',
  '',
].join('\n');

const withDependencies = (entries: string, files: Record<string, string> = { 'app/api/deps.py': DEPS }) =>
  projectWith({ 'pyproject.toml': `[tool.petsage]\npreset = "modules"\nroute_dependencies = ${entries}\n`, ...files });

describe('route_dependencies', () => {
  it('names callables as they are, and an Annotated alias by the callable it depends on', () => {
    const root = withDependencies('["app.api.deps:CurrentUser", "app.api.deps:get_current_user", "app.api.deps:decode_token"]');
    expect(resolveBlueprint(root).blueprint.routeDependencies).toEqual(['app.api.deps:get_current_user', 'app.api.deps:get_current_user', 'app.api.deps:decode_token']);
  });

  it.each([
    ['not a list', '"app.api.deps:CurrentUser"', 'tool.petsage.route_dependencies: must be a list'],
    ['no variable', '["app.api.deps"]', 'tool.petsage.route_dependencies[0]: must be "dotted.module:name"'],
    ['code in the name', '["app.api.deps:x()"]', 'tool.petsage.route_dependencies[0]: must be "dotted.module:name"'],
    ['a module the project lacks', '["app.auth:get_user"]', 'tool.petsage.route_dependencies[0]: the module app.auth is not in the project'],
    ['a name the module lacks', '["app.api.deps:get_admin"]', 'tool.petsage.route_dependencies[0]: app.api.deps does not define or import get_admin'],
  ])('refuses %s with exit 2, naming the entry', (_, entries, expected) => {
    const error = failure(() => resolveBlueprint(withDependencies(entries)));
    expect(error.exitCode).toBe(2);
    expect([error.message, ...error.details].join('\n')).toContain(expected);
  });

  it("puts them on the feature's router, imported, and its tests override them and check the router declares them", () => {
    const { blueprint } = resolveBlueprint(withDependencies('["app.api.deps:CurrentUser"]'));
    const { context } = planFeature(validatePayload({ feature: 'pet_food', description: 'Food.' }, 'payload'), blueprint);
    expect(context.router.line).toBe('router = APIRouter(tags=["Pet Food"], dependencies=[Depends(get_current_user)])');
    expect(context.imports.router.split('\n')[0]).toBe('from app.api.deps import get_current_user');
    expect(context.imports.test.split('\n').slice(0, 2)).toEqual(['from app.api.deps import get_current_user', 'from app.api.v1.modules.pet_food import router']);
    expect(context.routeDependencies).toEqual([{ module: 'app.api.deps', name: 'get_current_user' }]);
  });
});
