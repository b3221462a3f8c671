import { readdirSync, type Dirent } from 'node:fs';
import path from 'node:path';
import type { PathProbe } from '../commit/containment.js';
import type { StagedTree } from '../commit/tree.js';
import { registrationName, routerOf, topLevelBindings, type AggregatorFile } from '../python/aggregator.js';
import { lineNumber } from '../python/edits.js';
import { parseRecord, recordNames, recordPath } from '../record/record.js';
import { importsByPath, pytestAddopts, type ClashInput } from './clashes.js';
import type { Plan } from './plan.js';

/**
 * What the name check needs from the target, read under the lock: the names the aggregator
 * binds, the other recorded features, and the test modules sharing a batch test's basename.
 */
export function clashInput(tree: StagedTree, aggregator: AggregatorFile, plans: readonly Plan[]): ClashInput {
  const edit = plans[0]!.aggregator;
  const routerVar = routerOf(aggregator, edit);
  const shown = (line: { start: number; contentEnd: number }) => {
    const text = aggregator.source.slice(line.start, line.contentEnd).split(/\r?\n/)[0]!.trim();
    return `line ${lineNumber(aggregator.source, line.start)}: \`${text.length > 60 ? `${text.slice(0, 57)}...` : text}\``;
  };
  const names = new Map([...topLevelBindings(aggregator, edit.aggregatorPackage)].map(([name, { dotted, line }]) => [name, { dotted, shown: shown(line) }]));
  const inBatch = new Set(plans.map((plan) => plan.feature.names.snake));
  const recorded = recordNames(tree.root).flatMap((name) => {
    const text = inBatch.has(name) ? undefined : tree.read(recordPath(name));
    return text === undefined ? [] : [parseRecord(text, recordPath(name), name).plan];
  });
  const tests = plans.map((plan) => plan.context.paths.test);
  return {
    batch: plans,
    recorded,
    aggregator: { file: edit.file, names, binds: plans.map((plan) => registrationName(aggregator, plan.aggregator, routerVar)) },
    tests: {
      present: filesNamed(tree.probe, tests, new Set(tests.map((file) => path.posix.basename(file)))),
      isPackage: (dir) => isPackage(tree.probe, dir),
      importlib: () => importsByPath(pytestAddopts((file) => tree.read(file))),
    },
  };
}

/** Folders pytest does not collect from by default (its `norecursedirs`), and caches. */
const UNCOLLECTED = /^(\..*|__pycache__|node_modules|venv|build|dist|CVS|_darcs|\{arch\}|.*\.egg)$/;

/**
 * The files named one of `names` under the test folders (the first folder of each test path, or
 * the whole target for a test at the top), never through a link.
 */
function filesNamed(probe: PathProbe, testPaths: readonly string[], names: ReadonlySet<string>): string[] {
  const tops = new Set(testPaths.map((file) => (file.includes('/') ? file.slice(0, file.indexOf('/')) : '.')));
  const found: string[] = [];
  const walk = (dir: string) => {
    let entries: Dirent[];
    try {
      entries = readdirSync(path.join(probe.root, dir), { withFileTypes: true });
    } catch {
      return;
    }
    // A virtualenv, which pytest does not collect either.
    if (dir !== '.' && entries.some((entry) => entry.name === 'pyvenv.cfg')) return;
    for (const entry of entries) {
      const relative = dir === '.' ? entry.name : `${dir}/${entry.name}`;
      if (entry.isDirectory() && !UNCOLLECTED.test(entry.name)) walk(relative);
      else if (entry.isFile() && names.has(entry.name)) found.push(relative);
    }
  };
  for (const top of tops.has('.') ? ['.'] : tops) if (top === '.' || probe.kind(top) === 'dir') walk(top);
  return found;
}

/** Whether a folder of the target (no link on the way) holds an `__init__.py`. */
function isPackage(probe: PathProbe, dir: string): boolean {
  const segments = dir === '.' ? [] : dir.split('/');
  return segments.every((_, i) => probe.kind(segments.slice(0, i + 1).join('/')) === 'dir') && probe.kind([...segments, '__init__.py'].join('/')) === 'file';
}
