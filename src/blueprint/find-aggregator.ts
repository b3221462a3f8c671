import { counted } from '../data.js';
import { invalidInput, PetsageError } from '../errors.js';
import { analyse, resolve } from '../python/aggregator.js';
import { lineNumber } from '../python/edits.js';
import type { AggregatorFile } from '../python/model.js';
import type { Include } from '../python/routers.js';
import { dottedModule, isTestFile, moduleFile } from './module-files.js';
import type { ProjectFiles } from './project-files.js';

/** An include whose router is imported from another module, with the dotted path it resolves to. */
export interface ImportedInclude {
  include: Include;
  /** `app.api.routes.items.router`; a relative import resolved from the project's root. */
  dotted: string;
}

/** A file that creates a router (or app) and mounts routers imported from elsewhere on it. */
export interface AggregatorCandidate {
  file: string;
  router: string;
  callee: 'APIRouter' | 'FastAPI';
  line: number;
  includes: ImportedInclude[];
  analysed: AggregatorFile;
}

const ROUTER_CALLEES = new Set(['APIRouter', 'FastAPI']);

/** The package a file belongs to, read from the project's root: what its relative imports start from. */
const packageOfFile = (file: string) => {
  const module = dottedModule(file, '.')!;
  return file.endsWith('__init__.py') ? module : module.split('.').slice(0, -1).join('.');
};

/** The file as the patcher reads it, or undefined when the scanner cannot (it is then no aggregator anyone can patch). */
export function analysed(file: string, source: string): AggregatorFile | undefined {
  try {
    return analyse(source, { file, aggregatorPackage: packageOfFile(file) });
  } catch (error) {
    if (error instanceof PetsageError) return undefined;
    throw error;
  }
}

/** Every top-level `x = APIRouter(...)` or `FastAPI(...)` that receives top-level includes of imported routers, tests left out. */
export function aggregatorCandidates(files: ProjectFiles): AggregatorCandidate[] {
  const candidates: AggregatorCandidate[] = [];
  for (const [file, source] of files.python) {
    if (isTestFile(file) || !source.includes('include_router')) continue;
    const parsed = analysed(file, source);
    if (!parsed) continue;
    for (const definition of parsed.definitions) {
      if (!ROUTER_CALLEES.has(definition.callee)) continue;
      const includes = parsed.includes
        .filter((include) => include.owner === definition.name && parsed.bindings.has(include.target.split('.')[0]!))
        .map((include) => ({ include, dotted: resolve(include.target, parsed.bindings) }));
      if (includes.length === 0) continue;
      candidates.push({ file, router: definition.name, callee: definition.callee as AggregatorCandidate['callee'], line: lineNumber(source, definition.line.start), includes, analysed: parsed });
    }
  }
  return candidates;
}

/** One candidate, as the ambiguity lists it: its file, router variable, line and includes. */
const candidateProblem = (candidate: AggregatorCandidate) => ({ path: candidate.file, message: `${candidate.router} (line ${candidate.line}), ${counted(candidate.includes.length, 'include')}` });

/** The candidate an include mounts, when its router is another candidate's (the app mounting the API router). */
export function mountedCandidate(files: ProjectFiles, dotted: string, candidates: readonly AggregatorCandidate[]): AggregatorCandidate | undefined {
  const cut = dotted.lastIndexOf('.');
  const module = cut > 0 ? moduleFile(files, dotted.slice(0, cut)) : undefined;
  return module && candidates.find((candidate) => candidate.file === module.file && candidate.router === dotted.slice(cut + 1));
}

/**
 * The aggregator: the one candidate left once each that mounts another candidate is set aside,
 * unless it mounts more routers of its own than that candidate does (an app that includes the
 * API router, and maybe a health check, is not where features go). None, or several equally
 * plausible, is exit 2, listing them, with the keys that settle it.
 */
export function chooseAggregator(files: ProjectFiles, candidates: readonly AggregatorCandidate[], chosen: { aggregator?: string; router?: string } = {}): AggregatorCandidate {
  if (chosen.aggregator !== undefined || chosen.router !== undefined) return namedCandidate(candidates, chosen);
  const ownIncludes = (candidate: AggregatorCandidate) => candidate.includes.filter((include) => !mountedCandidate(files, include.dotted, candidates));
  const plausible = candidates.filter((candidate) => {
    const mounted = candidate.includes.flatMap((include) => mountedCandidate(files, include.dotted, candidates) ?? []);
    return !mounted.some((other) => other.includes.length > ownIncludes(candidate).length);
  });
  if (plausible.length === 1) return plausible[0]!;
  const hint = 'Write the [tool.petsage] block yourself, with `aggregator` (the file) and `router` (the variable features are mounted on); see the README, "Project config".';
  if (plausible.length === 0) {
    throw invalidInput('found no aggregator: no file creates a top-level APIRouter(...) or FastAPI(...) and calls include_router on it with a router imported from another module.', {
      path: '.',
      hints: [hint],
    });
  }
  throw invalidInput(`found ${plausible.length} files that could be the aggregator, equally plausible; nothing was written.`, {
    path: '.',
    problems: plausible.map(candidateProblem),
    hints: [`Say which: run config --detect again with --aggregator and --router (e.g. --aggregator ${plausible[0]!.file} --router ${plausible[0]!.router}), or set \`aggregator\` and \`router\` under [tool.petsage] in pyproject.toml yourself.`],
  });
}

/** The candidate `--aggregator` and `--router` name; exit 2 listing the candidates when none is. */
function namedCandidate(candidates: readonly AggregatorCandidate[], chosen: { aggregator?: string; router?: string }): AggregatorCandidate {
  const matching = candidates.filter((candidate) => (chosen.aggregator ?? candidate.file) === candidate.file && (chosen.router ?? candidate.router) === candidate.router);
  if (matching.length === 1) return matching[0]!;
  const asked = [chosen.aggregator && `--aggregator ${chosen.aggregator}`, chosen.router && `--router ${chosen.router}`].filter(Boolean).join(' ');
  throw invalidInput(`${asked} ${matching.length === 0 ? 'names no' : 'names more than one'} router that receives includes of imported routers.`, {
    path: chosen.aggregator === undefined ? '--router' : '--aggregator',
    problems: candidates.map(candidateProblem),
    hints: [candidates.length === 0 ? 'No file of the project does: write the [tool.petsage] block yourself (README, "Project config").' : 'Choose one of the candidates listed.'],
  });
}
