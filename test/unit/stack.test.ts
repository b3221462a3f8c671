import { describe, expect, it } from 'vitest';
import { assertSupportedStack, excludes, pyprojectPins, requirementsPins, stackProblems, STATUS_NEEDS, RESOURCE_NEEDS } from '../../src/blueprint/stack.js';
import { PetsageError } from '../../src/errors.js';

describe('a version constraint that rules out the version the generated code needs', () => {
  // Each expectation is what pip would resolve: can any release at or above the need satisfy it?
  it.each([
    ['<2', '2.0', true],
    ['<2.0', '2.0', true],
    ['<=1.10.13', '2.0', true],
    ['==1.10.13', '2.0', true],
    ['==1.*', '2.0', true],
    ['==1.10.*', '2.0', true],
    ['~=1.10', '2.0', true],
    ['~=1.10.2', '2.0', true],
    ['>=1.8,<2', '2.0', true],
    ['<1.0.0,>=0.114.2', '0.100.0', false],
    ['>=0.95,<0.100', '0.100.0', true],
    ['<0.100.0', '0.100.0', true],
    ['<=0.100.0', '0.100.0', false],
    ['<2.0.1', '2.0', false],
    ['>2.0', '2.0', false],
    ['>=1.8', '2.0', false],
    ['!=2.0.0', '2.0', false],
    ['==2.7.0', '2.0', false],
    ['~=2.7', '2.0', false],
    ['', '2.0', false],
    // Poetry's forms.
    ['^1.10', '2.0', true],
    ['^2.1', '2.0', false],
    ['^0.95.2', '0.100.0', true],
    ['^0.110', '0.100.0', false],
    ['~1.10', '2.0', true],
    ['1.10.13', '2.0', true],
    ['*', '2.0', false],
    ['^1.10 || ^2.0', '2.0', false],
    ['^1.8 || ~1.10', '2.0', true],
  ])('%j against >= %s: %s', (spec, need, expected) => {
    expect(excludes(spec, need)).toBe(expected);
  });
});

describe('the pins a backend declares', () => {
  it('reads [project].dependencies as PEP 508, with extras, markers and normalised names', () => {
    const pins = pyprojectPins({ project: { dependencies: ['fastapi[standard]<1.0.0,>=0.114.2', 'Pydantic_Settings>=2.2', 'pydantic (>=1.8,<2) ; python_version >= "3.8"', 'local @ file:///x'] } });
    expect(pins.map(({ package: name, spec }) => [name, spec])).toEqual([
      ['fastapi', '<1.0.0,>=0.114.2'],
      ['pydantic-settings', '>=2.2'],
      ['pydantic', '>=1.8,<2'],
      ['local', ''],
    ]);
  });

  it("reads Poetry's dependency table, as strings and as tables", () => {
    const pins = pyprojectPins({ tool: { poetry: { dependencies: { python: '^3.10', pydantic: { version: '^1.10', extras: ['email'] }, fastapi: '^0.95.2' } } } });
    expect(pins.map(({ package: name, spec, where }) => [name, spec, where])).toEqual([
      ['python', '^3.10', 'pyproject.toml [tool.poetry.dependencies]'],
      ['pydantic', '^1.10', 'pyproject.toml [tool.poetry.dependencies]'],
      ['fastapi', '^0.95.2', 'pyproject.toml [tool.poetry.dependencies]'],
    ]);
  });

  it('reads a requirements.txt without its comments, options and hashes', () => {
    const text = '# pinned\n-r base.txt\nfastapi==0.95.2  # old\npydantic==1.10.13 --hash=sha256:abc\n\n--index-url x\nuvicorn\n';
    expect(requirementsPins(text, 'requirements.txt').map(({ package: name, spec }) => [name, spec])).toEqual([
      ['fastapi', '==0.95.2'],
      ['pydantic', '==1.10.13'],
      ['uvicorn', ''],
    ]);
  });
});

describe('a stack that cannot run the generated code', () => {
  it('is refused with exit 3, naming each pin, where it is, and what is needed', () => {
    const pins = requirementsPins('fastapi==0.95.2\npydantic<2\nsqlalchemy~=1.4\n', 'requirements.txt');
    const error = (() => {
      try {
        assertSupportedStack(pins, [...STATUS_NEEDS, ...RESOURCE_NEEDS]);
      } catch (thrown) {
        return thrown as PetsageError;
      }
      return undefined;
    })();
    expect(error?.exitCode).toBe(3);
    expect(error?.problems.map((problem) => problem.path)).toEqual(['requirements.txt', 'requirements.txt', 'requirements.txt']);
    expect(error?.problems.map((problem) => problem.message)).toEqual([
      'pins pydantic <2, and the generated code needs pydantic >= 2.0: the generated schemas are Pydantic 2 models',
      'pins fastapi ==0.95.2, and the generated code needs fastapi >= 0.100.0: FastAPI supports Pydantic 2 from 0.100.0 on',
      'pins sqlalchemy ~=1.4, and the generated code needs sqlalchemy >= 2.0: the generated models are SQLAlchemy 2.0 typed models (DeclarativeBase, mapped_column)',
    ]);
  });

  it('lets a status feature through on SQLAlchemy 1.4, and a current stack through with resources', () => {
    expect(stackProblems(requirementsPins('sqlalchemy<2\npydantic>=2\n', 'requirements.txt'), STATUS_NEEDS)).toEqual([]);
    expect(stackProblems(pyprojectPins({ project: { dependencies: ['fastapi[standard]<1.0.0,>=0.114.2', 'pydantic>2.0', 'sqlmodel<1.0.0,>=0.0.21', 'sqlalchemy>=2.0.30'] } }), [...STATUS_NEEDS, ...RESOURCE_NEEDS])).toEqual([]);
  });
});
