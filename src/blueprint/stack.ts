import { readContainedText } from '../commit/safe-fs.js';
import { isPlainObject } from '../data.js';
import { conflict, type Problem } from '../errors.js';

/**
 * What the generated code needs of the backend's stack, and the pins that rule it out. Only a pin
 * that admits no version at or above the need is refused: `pydantic<2` or `fastapi==0.95.2` can
 * never run Pydantic-2 code, while `fastapi>=0.110,<1` can.
 */
export interface StackNeed {
  package: string;
  /** The lowest release the generated code can run on. */
  version: string;
  why: string;
}

export const STATUS_NEEDS: readonly StackNeed[] = [
  { package: 'pydantic', version: '2.0', why: 'the generated schemas are Pydantic 2 models' },
  { package: 'fastapi', version: '0.100.0', why: 'FastAPI supports Pydantic 2 from 0.100.0 on' },
];

export const RESOURCE_NEEDS: readonly StackNeed[] = [{ package: 'sqlalchemy', version: '2.0', why: 'the generated models are SQLAlchemy 2.0 typed models (DeclarativeBase, mapped_column)' }];

/** One declared requirement: the package, its version constraint as written, and where it is. */
export interface Pin {
  package: string;
  spec: string;
  where: string;
}

/** PEP 503: names compare lowercased, with runs of `-`, `_` and `.` as one `-`. */
const normalize = (name: string) => name.toLowerCase().replace(/[-_.]+/g, '-');

/** `fastapi[standard]<1.0.0,>=0.114.2 ; python_version >= "3.10"` -> fastapi, `<1.0.0,>=0.114.2`. */
const REQUIREMENT = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*\(?([^;@()]*)\)?\s*(?:[;@].*)?$/;

function pep508(line: string, where: string): Pin | undefined {
  const match = REQUIREMENT.exec(line);
  return match ? { package: normalize(match[1]!), spec: match[2]!.trim(), where } : undefined;
}

/** The runtime requirements pyproject.toml declares: `[project].dependencies` and Poetry's table. */
export function pyprojectPins(pyproject: Record<string, unknown>): Pin[] {
  const pins: Pin[] = [];
  const project = pyproject.project;
  if (isPlainObject(project) && Array.isArray(project.dependencies)) {
    for (const entry of project.dependencies) if (typeof entry === 'string') pins.push(...[pep508(entry, 'pyproject.toml [project].dependencies')].filter((pin) => pin !== undefined));
  }
  const tool = pyproject.tool;
  const poetry = isPlainObject(tool) && isPlainObject(tool.poetry) ? tool.poetry.dependencies : undefined;
  if (isPlainObject(poetry)) {
    for (const [name, value] of Object.entries(poetry)) {
      const spec = typeof value === 'string' ? value : isPlainObject(value) && typeof value.version === 'string' ? value.version : undefined;
      if (spec !== undefined) pins.push({ package: normalize(name), spec, where: 'pyproject.toml [tool.poetry.dependencies]' });
    }
  }
  return pins;
}

/** The requirements of a requirements.txt: one per line, without options (`-r`, `-e`, `--hash`) or comments. */
export function requirementsPins(text: string, file: string): Pin[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.replace(/(^|\s)#.*$/, '').trim())
    .filter((line) => line !== '' && !line.startsWith('-'))
    .flatMap((line) => [pep508(line.split(/\s+--/)[0]!, file)].filter((pin) => pin !== undefined));
}

/** What the backend declares: pyproject.toml's runtime requirements and a requirements.txt at its root. */
export function declaredPins(root: string, pyproject: Record<string, unknown> | undefined): Pin[] {
  const requirements = readContainedText(root, 'requirements.txt');
  return [...(pyproject ? pyprojectPins(pyproject) : []), ...(requirements === undefined ? [] : requirementsPins(requirements, 'requirements.txt'))];
}

/** A release's numeric segments: `2.0.1b1` -> [2, 0, 1]; a pre-release counts as its release. */
function release(version: string): number[] | undefined {
  const match = /^v?(\d+(?:\.\d+)*)/.exec(version.trim());
  return match ? match[1]!.split('.').map(Number) : undefined;
}

function compare(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i += 1) {
    const difference = (a[i] ?? 0) - (b[i] ?? 0);
    if (difference !== 0) return Math.sign(difference);
  }
  return 0;
}

/** The release after `segments` at its last given segment: [1, 10] -> [1, 11]. */
const bump = (segments: readonly number[]) => [...segments.slice(0, -1), segments.at(-1)! + 1];

interface Bound {
  version: number[];
  inclusive: boolean;
}

/**
 * The highest version one clause admits, PEP 440 (`<`, `<=`, `==`, `==1.*`, `~=`, `===`) and
 * Poetry (`^`, `~`, a bare version); undefined when it has no upper bound (`>=`, `!=`, `*`).
 */
function clauseBound(clause: string): Bound | undefined | 'unknown' {
  const match = /^(===|==|~=|<=|>=|!=|<|>|\^|~|=)?\s*(.*)$/.exec(clause.trim())!;
  const [, operator = '', rest = ''] = match;
  if (rest === '*' || operator === '>=' || operator === '>' || operator === '!=') return undefined;
  const wildcard = rest.endsWith('.*');
  const version = release(wildcard ? rest.slice(0, -2) : rest);
  if (!version) return 'unknown';
  switch (operator) {
    case '<':
      return { version, inclusive: false };
    case '<=':
      return { version, inclusive: true };
    case '~=':
      return version.length < 2 ? 'unknown' : { version: bump(version.slice(0, -1)), inclusive: false };
    case '~':
      return { version: bump(version.length === 1 ? version : version.slice(0, 2)), inclusive: false };
    case '^': {
      // Poetry: the left-most non-zero segment may not change.
      const first = version.findIndex((segment) => segment !== 0);
      return { version: bump(version.slice(0, first === -1 ? version.length : first + 1)), inclusive: false };
    }
    default:
      return wildcard ? { version: bump(version), inclusive: false } : { version, inclusive: true };
  }
}

/** Whether a constraint admits no release at or above `need`: every alternative's bound lies below it. */
export function excludes(spec: string, need: string): boolean {
  const needed = release(need)!;
  const alternatives = spec.split('||').map((alternative) => alternative.split(',').filter((clause) => clause.trim() !== ''));
  return alternatives.every((clauses) =>
    clauses.some((clause) => {
      const bound = clauseBound(clause);
      if (bound === undefined || bound === 'unknown') return false;
      const order = compare(bound.version, needed);
      return order < 0 || (order === 0 && !bound.inclusive);
    }),
  );
}

/** Each pin that rules out a need, as a problem naming the pin, where it is and what is needed. */
export function stackProblems(pins: readonly Pin[], needs: readonly StackNeed[]): Problem[] {
  return needs.flatMap((need) =>
    pins
      .filter((pin) => pin.package === need.package && pin.spec !== '' && excludes(pin.spec, need.version))
      .map((pin) => ({ path: pin.where, message: `pins ${pin.package} ${pin.spec}, and the generated code needs ${need.package} >= ${need.version}: ${need.why}` })),
  );
}

/** Exit 3 before anything is written, when the backend's declared stack cannot run the generated code. */
export function assertSupportedStack(pins: readonly Pin[], needs: readonly StackNeed[]): void {
  const problems = stackProblems(pins, needs);
  if (problems.length === 0) return;
  throw conflict(`the backend's dependencies cannot run the code petsage-build generates; nothing was written.`, {
    problems,
    hints: ['Raise those pins (Pydantic 1 code moves to 2 with `bump-pydantic`), or generate into a backend on the newer stack.'],
  });
}
