import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PRESETS } from '../../src/blueprint/presets.js';
import { validatePayload } from '../../src/payload/payload.js';
import { planFeature } from '../../src/plan/plan.js';
import { failure } from '../helpers/errors.js';
import { fixture } from '../helpers/paths.js';

const households = validatePayload(JSON.parse(readFileSync(fixture('resources/reference/households.json'), 'utf8')), 'households.json');

describe("a resource's files and the layout's", () => {
  it("are planned in the preset's packages, as init writes them, and with the feature's files moved within them", () => {
    for (const preset of ['modules', 'layered', 'features', 'endpoints', 'src-features']) expect(planFeature(households, PRESETS[preset]!).files.length).toBeGreaterThan(5);
    const endpoints = PRESETS.endpoints!;
    expect(planFeature(households, { ...endpoints, paths: { ...endpoints.paths, router: 'app/api/routes/{feature}.py' } }).files.map((file) => file.path)).toContain('app/tables/households.py');
  });

  it('refuse a resource (exit 2, naming the block) in a blueprint whose resource layout was left in another package than the features (the config moves it: resource-packages.test.ts)', () => {
    const modules = PRESETS.modules!;
    const moved = { ...modules, paths: { ...modules.paths, router: 'src/app/api/{feature}/router.py', init: 'src/app/api/{feature}/__init__.py' } };
    const error = failure(() => planFeature(households, moved));
    expect(error.exitCode).toBe(2);
    expect(error.message).toBe(`resource: the layout puts the feature's files in the package src, and a resource's model, repository and dependencies would go to app/api/v1/modules/<feature>/models.py, the "modules" preset's, which this backend does not have.`);
  });
});

describe('the longest names a resource may have, at ruff line length 79', () => {
  // A 24-character name (the most a resource may have) with no underscores, so its class is as
  // long; an enum field whose Literal alias joins both. The expected lines are ruff format's.
  const owners = validatePayload({ feature: 'owners', description: 'Owners.', resource: { name: 'owner', fields: { name: { type: 'str', max_length: 20 } } } }, 'owners.json');
  const things = validatePayload(
    {
      feature: 'long_named_things',
      description: 'Things.',
      resource: {
        name: 'averylongresourcenamexyz',
        operations: ['create', 'update', 'delete', 'list', 'get'],
        fields: {
          a_rather_long_enum_field_name_for_tests: { type: 'enum', values: ['a', 'b'] },
          owner_id: { type: 'ref', feature: 'owners' },
        },
      },
    },
    'things.json',
  );
  const plan = planFeature(things, { ...PRESETS.modules!, lineLength: 79 }, (name) => (name === 'owners' ? owners.resource : undefined));
  const r = plan.context.r!;

  it("keep the repository's add on one line at 78 characters, and split its delete as ruff does", () => {
    expect(r.repository.addDef).toBe('    def add(self, averylongresourcenamexyz: Averylongresourcenamexyz) -> None:');
    expect(r.repository.deleteDef).toBe(['    def delete(', '        self, averylongresourcenamexyz: Averylongresourcenamexyz', '    ) -> None:'].join('\n'));
  });

  it("split the enum column's get_args call as ruff does", () => {
    expect(r.models.columns.join('\n')).toContain(['            *get_args(', '                AverylongresourcenamexyzARatherLongEnumFieldNameForTests', '            ),', '            native_enum=False,'].join('\n'));
  });

  it('parametrize the reference tests by the columns of REFERENCES, each unused one with a leading underscore, split as ruff does', () => {
    const decorators = Object.values(r.tests.referenceCases);
    expect(decorators).toEqual([
      '@pytest.mark.parametrize(("field", "missing", "parent", "_exists"), REFERENCES)',
      '@pytest.mark.parametrize(("field", "missing", "_parent", "exists"), REFERENCES)',
      ['@pytest.mark.parametrize(', '    ("field", "missing", "_parent", "_exists"), REFERENCES', ')'].join('\n'),
    ]);
  });
});

describe("a uuid resource's id column", () => {
  const plan = (lineLength: number) => planFeature(households, { ...PRESETS.modules!, lineLength }).context.r!.models.id;

  it('stays on one line where it fits, and breaks as ruff format does where it does not', () => {
    expect(plan(88)).toEqual(['    id: Mapped[UUID] = mapped_column(Uuid, primary_key=True, default=uuid4)']);
    // What ruff format (0.17) makes of that line at line-length 72.
    expect(plan(72)).toEqual(['    id: Mapped[UUID] = mapped_column(\n        Uuid, primary_key=True, default=uuid4\n    )']);
  });
});

describe("a resource's tests in a backend whose app is not named app", () => {
  it('import it as app, which the tests call it', () => {
    const imports = (app: string) => planFeature(households, { ...PRESETS.modules!, app }).context.r!.tests.imports as string;
    expect(imports('app.main:app')).toMatch(/^from app\.main import app$/m);
    expect(imports('app.main:application')).toMatch(/^from app\.main import application as app$/m);
  });
});
