import { readFileSync } from 'node:fs';
import path from 'node:path';
import { blueprintFromSection, readConfig } from '../blueprint/config.js';
import { PRESETS, DEFAULT_PRESET } from '../blueprint/presets.js';
import { invalidInput } from '../errors.js';
import type { Reporter } from '../output/reporter.js';
import { templatesDir } from '../paths.js';
import { Renderer } from '../render/renderer.js';
import { fileReport } from '../record/report.js';
import { resolveTarget } from '../target.js';
import { runTransaction } from '../commit/transaction.js';

export interface EjectOptions {
  cwd: string;
  target: string;
  force: boolean;
  wait: number;
  reporter: Reporter;
}

/** Copies built-in feature templates into the project's override folder, to start from. */
export async function runTemplatesEject(name: string | undefined, options: EjectOptions) {
  const root = resolveTarget(options.cwd, options.target);
  const { section, source } = readConfig(root);
  const { templates } = section && source ? blueprintFromSection(section, undefined, source) : PRESETS[DEFAULT_PRESET]!;
  const available = new Renderer('fastapi').builtinNames().sort();
  const wanted = name === undefined ? available : [name.endsWith('.hbs') ? name : `${name}.hbs`];
  const unknown = wanted.filter((template) => !available.includes(template));
  if (unknown.length > 0) {
    throw invalidInput(`no such template: ${name}.`, { path: 'name', hints: [`Available: ${available.join(', ')}`] });
  }

  const changes = await runTransaction({
    root,
    wait: options.wait,
    dryRun: false,
    reporter: options.reporter,
    report: (staged) => ({ target: root, files: staged.map(fileReport) }),
    stage: (tree) => {
      for (const template of wanted) {
        tree.write(path.posix.join(templates, template), readFileSync(path.join(templatesDir(), 'fastapi', template)), { overwrite: options.force });
      }
    },
  });
  options.reporter.info(`Templates in ${templates}/ now override the built-ins for this project:`);
  options.reporter.changes(changes);
  return { target: root, files: changes.map(fileReport) };
}
