import { checkedBlueprint, petsageBlock, withBlock } from '../blueprint/config-block.js';
import { readConfig, resolveBlueprint } from '../blueprint/config.js';
import { detectConfig, type DetectChoice } from '../blueprint/detect-config.js';
import type { Blueprint } from '../blueprint/presets.js';
import { runTransaction } from '../commit/transaction.js';
import { conflict, invalidInput } from '../errors.js';
import type { Reporter } from '../output/reporter.js';
import { fileReport } from '../record/report.js';
import { resolveTarget } from '../target.js';

export interface ConfigOptions extends DetectChoice {
  cwd: string;
  target: string;
  detect: boolean;
  write: boolean;
  wait: number;
  reporter: Reporter;
}

/** A resolved blueprint as the config keys that give it, for printing. */
function sectionOf(blueprint: Blueprint): Record<string, unknown> {
  return {
    preset: blueprint.preset,
    source_root: blueprint.sourceRoot,
    app: blueprint.app,
    api_prefix: blueprint.apiPrefix,
    aggregator: blueprint.aggregator,
    router: blueprint.router,
    templates: blueprint.templates,
    python: blueprint.python,
    paths: { ...blueprint.paths },
    ...(blueprint.db && { db: { ...blueprint.db } }),
  };
}

/** `config` alone: the config a run would use, resolved over its preset, or that there is none. */
function showCurrent(root: string, reporter: Reporter) {
  const { section } = readConfig(root);
  if (!section) {
    reporter.info('The project has no petsage config (no [tool.petsage] in pyproject.toml, no petsage.config.json).');
    reporter.info('`petsage-build config --detect` reads one from the code; --write adds it.');
    return { target: root, config: null };
  }
  const { blueprint, origin } = resolveBlueprint(root);
  const config = sectionOf(blueprint);
  reporter.info(`The config ${origin}, over its preset:\n`);
  reporter.info(petsageBlock(config));
  return { target: root, config };
}

/** Exit 3 when the project has a petsage config already: --write adds one, and never edits one. */
function assertNoConfig(root: string): void {
  const { section, source } = readConfig(root);
  if (!section || !source) return;
  throw conflict(`the project has a petsage config already${source.file === 'pyproject.toml' ? ' ([tool.petsage])' : ''}; --write adds one and never changes one, so nothing was written.`, {
    path: source.file,
    hints: ['Print what the code says with `petsage-build config --detect` and edit the config by hand, or delete it and run `petsage-build config --detect --write` again.'],
  });
}

/**
 * `config --detect [--write]`: the `[tool.petsage]` block read from the code (see
 * detect-config.ts), checked as a config, printed; with --write, appended to pyproject.toml
 * through the same transaction as every writing command. `config` alone prints the current one.
 */
export async function runConfig(options: ConfigOptions) {
  const root = resolveTarget(options.cwd, options.target);
  const { reporter } = options;
  if (!options.detect) {
    const stray = options.write ? '--write' : options.aggregator !== undefined ? '--aggregator' : options.router !== undefined ? '--router' : undefined;
    if (stray) throw invalidInput(`${stray} goes with --detect.`, { path: stray, hints: ['Run `petsage-build config --detect --write`.'] });
    return showCurrent(root, reporter);
  }
  if (options.write) assertNoConfig(root);
  const detected = detectConfig(root, { ...(options.aggregator !== undefined && { aggregator: options.aggregator }), ...(options.router !== undefined && { router: options.router }) });
  const block = petsageBlock(detected.section);
  checkedBlueprint(block);
  reporter.info(detected.preset ? `A preset fits this backend's files: ${detected.evidence[0]}.` : 'Read from the code:');
  if (!detected.preset) for (const line of detected.evidence) reporter.info(`  ${line}`);
  for (const note of detected.notes) reporter.warn(note);
  reporter.info(`\n${block}`);
  const result = { target: root, config: detected.section, toml: block, evidence: detected.evidence, notes: detected.notes };
  if (!options.write) {
    // --write only adds a config: one there already is the user's to edit.
    const current = readConfig(root);
    reporter.info(current.section && current.source ? `The project has a petsage config already (${current.source.file}): compare, and edit it by hand.` : 'Add it to pyproject.toml with --write.');
    return { ...result, written: false };
  }
  const changes = await runTransaction({
    root,
    wait: options.wait,
    dryRun: false,
    reporter,
    stage: (tree) => {
      // Under the lock: a config another run added meanwhile is not doubled.
      assertNoConfig(root);
      tree.write('pyproject.toml', withBlock(tree.read('pyproject.toml'), block), { overwrite: true });
    },
  });
  reporter.changes(changes);
  return { ...result, written: true, files: changes.map(fileReport) };
}
