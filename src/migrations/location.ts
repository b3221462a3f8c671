import path from 'node:path';
import { readContainedText, relativePathProblem } from '../commit/safe-fs.js';
import { conflict } from '../errors.js';
import { iniEntry, iniValue, parseIni, type IniDocument } from './ini.js';

/** Alembic's config file, where `alembic` run at the project's root finds it. */
export const ALEMBIC_INI = 'alembic.ini';
/** The section Alembic reads unless run with `-n`. */
const SECTION = 'alembic';
/**
 * What `%(here)s` (the folder of alembic.ini: the target's root) stands for while a value is
 * split into paths, so that a root holding a space or a colon never splits. A NUL cannot be
 * part of a path, and a value holding one is refused before.
 */
const HERE = '\u0000';
/** configparser's true booleans. */
const TRUE = new Set(['1', 'yes', 'true', 'on']);
/** Settings under which revisions are not all `*.py` files directly in one folder. */
const UNSUPPORTED_SWITCHES = ['recursive_version_locations', 'sourceless'];

/**
 * The folder the target's Alembic revisions live in, relative to the target and POSIX-style,
 * from its alembic.ini: `<script_location>/versions`, or `version_locations` where that is set.
 * Undefined when the target has no alembic.ini (the caller sets up the default `migrations/`).
 */
export function migrationsLocation(root: string): string | undefined {
  const text = readContainedText(root, ALEMBIC_INI);
  return text === undefined ? undefined : versionsDirOf(parseIni(text, ALEMBIC_INI), root);
}

/**
 * The versions folder an alembic.ini names, for a target at `root`. Relative paths are taken
 * from the root, where `alembic` is run from; anything outside the target is refused.
 */
export function versionsDirOf(document: IniDocument, root: string): string {
  if (!document.sections.has(SECTION)) {
    throw conflict(`has no [${SECTION}] section; petsage-build reads script_location from it, as \`alembic\` does by default.`, {
      path: document.file,
      hints: [`Add the [${SECTION}] section with \`script_location = %(here)s/migrations\`, or move the file away to have petsage-build set up migrations/.`],
    });
  }
  for (const key of UNSUPPORTED_SWITCHES) {
    const value = setting(document, key);
    if (value !== undefined && TRUE.has(value.value.trim().toLowerCase())) {
      throw refused(document, key, `is on, so revisions are not all .py files of one folder; petsage-build cannot find the head under it`, [`Remove \`${key}\` to generate resources here.`]);
    }
  }
  const scriptLocation = setting(document, 'script_location');
  if (scriptLocation === undefined) {
    throw conflict(`[${SECTION}] script_location is missing; Alembic needs it to find the migrations.`, {
      path: document.file,
      hints: ['Add `script_location = %(here)s/migrations` under [alembic].'],
    });
  }
  const scriptDir = insideTarget(document, 'script_location', root);
  const versionLocations = setting(document, 'version_locations');
  if (versionLocations !== undefined) return insideTarget(document, 'version_locations', root);
  return scriptDir === '' ? 'versions' : `${scriptDir}/versions`;
}

/** The raw entry of a key of [alembic], refused if it holds what stands for %(here)s. */
function setting(document: IniDocument, key: string) {
  const entry = iniEntry(document, SECTION, key);
  if (entry?.value.includes(HERE)) throw refused(document, key, 'holds a NUL character', []);
  return entry;
}

/** The one path a key names, made relative to the root; refused outside the target. */
function insideTarget(document: IniDocument, key: string, root: string): string {
  const raw = iniEntry(document, SECTION, key)!.value;
  const shown = JSON.stringify(raw);
  // configparser has no comments after a value: `x = a  # b` is "a  # b", which misleads.
  const commentHint = /\s[#;]/.test(raw) ? ['alembic.ini has no comments after a value: everything after the "=" is the value.'] : [];
  const fail = (what: string, hint: string) => refused(document, key, what, [hint, ...commentHint]);
  const example = 'Set it to a folder of the project, e.g. `%(here)s/migrations`.';
  const value = iniValue(document, SECTION, key, { here: HERE })!;
  // Alembic splits version_locations on its path separator, which may be a space, a comma, a
  // colon, a semicolon or a newline depending on the settings: any of them means several paths.
  const paths = value.split(/[\s,:;]+/).filter((part) => part !== '');
  if (paths.length === 0) throw fail('is empty', example);
  if (paths.length > 1 && key === 'version_locations') {
    throw fail(`lists several folders (${shown}), which petsage-build does not support`, 'Keep one folder, or leave the key out to use <script_location>/versions.');
  }
  // `package:folder` is a resource of an installed package, found by importing it.
  if (paths.length > 1 && /^[\w.]+:[^\s,;:]+$/.test(raw)) throw fail(`names a package resource (${shown}), which petsage-build does not resolve`, example);
  if (paths.length > 1) throw fail(`is not one path (${shown})`, example);
  const absolute = path.resolve(root, paths[0]!.replaceAll(HERE, root));
  const relative = path.relative(root, absolute);
  if (relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative)) {
    throw fail(`points outside the target (${shown}); petsage-build only writes revisions inside it`, 'Point it at a folder of the project, e.g. `%(here)s/migrations`.');
  }
  const posix = relative.split(path.sep).join('/');
  const problem = posix === '' ? undefined : relativePathProblem(posix);
  if (problem !== undefined) throw fail(`(${shown}, i.e. ${JSON.stringify(posix)}) ${problem}`, example);
  return posix;
}

function refused(document: IniDocument, key: string, what: string, hints: readonly string[]) {
  const line = iniEntry(document, SECTION, key)?.line;
  return conflict(`[${SECTION}] ${key} ${what}; nothing was changed.`, { path: line === undefined ? document.file : `${document.file}:${line}`, hints });
}
