/**
 * Planning a resource on the backend's own database layer: where the generated code imports
 * the base, the session dependency and petsage-build's helpers from, the model's named
 * constraints as ruff lays them out, and the helper module as a file of the plan. The expected
 * lines were checked with ruff 0.17 (`ruff format --check`, `ruff check --select I`).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { blueprintFromSection } from '../../src/blueprint/config.js';
import { PRESETS, type Blueprint } from '../../src/blueprint/presets.js';
import { validatePayload, type Feature } from '../../src/payload/payload.js';
import { checkResourceRefs } from '../../src/payload/resource.js';
import { planFeature, type Plan } from '../../src/plan/plan.js';
import { Imports } from '../../src/plan/resource-imports.js';
import { codeStyle } from '../../src/python/code-style.js';
import { fixture } from '../helpers/paths.js';

const OWN_DB = { base: 'app.core.database:Base', session: 'app.core.database:get_db', models: 'app.models' };
const payload = (name: string) => validatePayload(JSON.parse(readFileSync(fixture(`resources/reference/${name}.json`), 'utf8')), name);

/** The reference resources planned in `blueprint`: households, then pet_profiles with its ref resolved. */
function plans(blueprint: Blueprint): { households: Plan; pets: Plan } {
  const { features } = checkResourceRefs([payload('households'), payload('pet_profiles')], []);
  const [households, pets] = features as [Feature, Feature];
  const parents = (name: string) => (name === 'households' ? households.resource : undefined);
  return { households: planFeature(households, blueprint, parents), pets: planFeature(pets, blueprint, parents) };
}

const own = (db: Record<string, string> = OWN_DB, lineLength?: number) => ({ ...blueprintFromSection({ preset: 'modules', db }), ...(lineLength && { lineLength }) });

describe('Imports', () => {
  it('writes each `x as y` on a statement of its own, statements in the order of their first names, as ruff does', () => {
    const imports = new Imports(codeStyle({})).add('m', 'zzz', 'aaa as b', 'ZZ as c', 'Yy as d', 'yy').add('app.core.database', 'get_db as get_session', 'Base');
    expect(imports.toString()).toBe(
      [
        'from app.core.database import Base',
        'from app.core.database import get_db as get_session',
        'from m import ZZ as c',
        'from m import Yy as d',
        'from m import aaa as b',
        'from m import yy, zzz',
      ].join('\n'),
    );
  });
});

describe('a resource on the backend\'s own database layer', () => {
  it('plans petsage_db.py beside the base, rendered from the database templates, after its own files', () => {
    const { households } = plans(own());
    expect(households.files.at(-1)).toEqual({ template: 'petsage_db.py.hbs', path: 'app/core/petsage_db.py', set: 'db' });
    expect(plans(PRESETS.modules!).households.files.some((file) => file.set === 'db')).toBe(false);
  });

  it('imports the base and UTCDateTime from their modules, and names each constraint as the migration does', () => {
    const { pets } = plans(own());
    const models = pets.context.r!.models;
    expect(models.imports).toContain('from app.core.database import Base\nfrom app.core.petsage_db import UTCDateTime');
    expect(models.tableArgs).toBe(
      [
        "    # Named as the migration names them, whatever the base's naming convention.",
        '    __table_args__ = (',
        '        PrimaryKeyConstraint("id", name="pk_pets"),',
        '        UniqueConstraint("name", name="uq_pets_name"),',
        '        Index("ix_pets_species", "species"),',
        '        Index("ix_pets_microchipped", "microchipped"),',
        '        Index("ix_pets_household_id", "household_id"),',
        '    )',
      ].join('\n'),
    );
    const columns = models.columns.join('\n');
    expect(columns).not.toMatch(/unique=True|index=True/);
    expect(columns).toContain('ForeignKey("households.id", name="fk_pets_household_id_households")');
  });

  it('keeps a one-item tuple on one line with its comma, and breaks an item that does not fit as ruff does', () => {
    const lone = validatePayload({ feature: 'tags', description: 'Tags.', resource: { name: 'tag', fields: { label: { type: 'str', max_length: 20 } } } }, 'tags');
    expect(planFeature(lone, own()).context.r!.models.tableArgs!.split('\n')[1]).toBe('    __table_args__ = (PrimaryKeyConstraint("id", name="pk_tags"),)');
    const long = validatePayload({ feature: 'long_names', description: 'Long.', resource: { name: 'very_long_resource_name', fields: { label: { type: 'str', max_length: 20 } } } }, 'long_names');
    expect(planFeature(long, own(OWN_DB, 60)).context.r!.models.tableArgs!.split('\n').slice(1)).toEqual([
      '    __table_args__ = (',
      '        PrimaryKeyConstraint(',
      '            "id", name="pk_very_long_resource_names"',
      '        ),',
      '    )',
    ]);
  });

  it('takes the named session dependency in the dependencies, bound as get_session', () => {
    const { pets } = plans(own());
    const { imports, def } = pets.context.r!.dependencies;
    expect(imports).toBe(
      [
        'from datetime import datetime',
        'from typing import Annotated',
        '',
        'from fastapi import Depends',
        'from sqlalchemy.orm import Session',
        '',
        'from app.api.v1.modules.pet_profiles.services import PetService, utc_now',
        'from app.core.database import get_db as get_session',
      ].join('\n'),
    );
    expect(def).toBe(['def get_pet_service(', '    session: Annotated[Session, Depends(get_session)],', '    now: Annotated[datetime, Depends(utc_now)],', ') -> PetService:'].join('\n'));
  });

  it('keeps the trailing comma of a lone session parameter that does not fit, on either layer, as ruff does', () => {
    const lone = validatePayload({ feature: 'long_names', description: 'Long.', resource: { name: 'very_long_resource_name', operations: ['list', 'get'], fields: { label: { type: 'str', max_length: 20 } } } }, 'long_names');
    expect(planFeature(lone, own(OWN_DB, 60)).context.r!.dependencies.def).toBe(['def get_very_long_resource_name_service(', '    session: Annotated[Session, Depends(get_session)],', ') -> VeryLongResourceNameService:'].join('\n'));
    expect(planFeature(lone, { ...PRESETS.modules!, lineLength: 60 }).context.r!.dependencies.def).toBe(['def get_very_long_resource_name_service(', '    session: SessionDep,', ') -> VeryLongResourceNameService:'].join('\n'));
  });

  it('builds the tests\' engine with the helper, creates the tables from the base\'s metadata and overrides the named dependency', () => {
    const { households } = plans(own({ ...OWN_DB, base: 'app.core.database:Model' }));
    const { imports, metadata } = households.context.r!.tests;
    expect(imports).toContain(['from app.core.database import Model as Base', 'from app.core.database import get_db as get_session', 'from app.core.petsage_db import create_db_engine'].join('\n'));
    expect(metadata).toBe('Base.metadata');
    expect(households.context.r!.models.imports).toContain('from app.core.database import Model as Base');
  });

  it('leaves petsage-build\'s own layer as it was: SessionDep, the registry\'s metadata, constraints by the base\'s convention', () => {
    const { pets } = plans(PRESETS.modules!);
    const r = pets.context.r!;
    expect(r.dependencies.imports).toContain('from app.db.session import SessionDep');
    expect(r.tests.imports).toContain('from app.db.session import create_db_engine, get_session\nfrom app.db.tables import metadata');
    expect(r.tests.metadata).toBe('metadata');
    expect(r.models.tableArgs).toBeUndefined();
    expect(r.models.columns.join('\n')).toContain('unique=True');
  });
});
