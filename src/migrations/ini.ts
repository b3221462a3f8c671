import { conflict } from '../errors.js';

/**
 * The INI dialect Alembic reads its config with (Python's configparser, default settings), as
 * far as finding a few keys needs: `[section]` headers, `key = value` and `key: value` split at
 * the first delimiter, keys case-insensitive, full-line `#` and `;` comments (never inline ones:
 * configparser keeps `x = a # b` as "a # b"), values continued on more-indented lines, and
 * duplicates refused as configparser's strict mode refuses them. Interpolation is done only for
 * the keys asked for, so the logging sections' `%(levelname)s` formats never matter.
 */

export interface IniEntry {
  value: string;
  /** 1-based line of the key, for messages. */
  line: number;
}

export interface IniDocument {
  file: string;
  /** Keys (lowercased) by section name (case kept, as configparser keeps it). */
  sections: Map<string, Map<string, IniEntry>>;
}

/** configparser's name for the section whose keys every other section sees. */
const DEFAULT_SECTION = 'DEFAULT';
const SECTION_HEADER = /^\[(.+)\]/;
const OPTION = /^(.*?)\s*([=:])\s*(.*)$/;
/** configparser gives up past this many nested `%(key)s` references. */
const MAX_INTERPOLATION_DEPTH = 10;

const indentOf = (line: string) => line.length - line.trimStart().length;

export function parseIni(text: string, file: string): IniDocument {
  const sections = new Map<string, Map<string, IniEntry>>();
  let section: Map<string, IniEntry> | undefined;
  let current: { entry: IniEntry; lines: string[]; indent: number } | undefined;
  const finishValue = () => {
    // configparser joins continuation lines with newlines and drops trailing blank ones.
    if (current) current.entry.value = current.lines.join('\n').trimEnd();
    current = undefined;
  };
  const lines = text.replace(/^\ufeff/, '').split(/\r\n|\r|\n/);
  lines.forEach((raw, index) => {
    const lineNumber = index + 1;
    const stripped = raw.trim();
    if (stripped.startsWith('#') || stripped.startsWith(';')) return;
    if (stripped === '') {
      // A blank line may sit inside a continued value: it is kept if more of the value follows.
      current?.lines.push('');
      return;
    }
    const indent = indentOf(raw);
    if (current && indent > current.indent) {
      current.lines.push(stripped);
      return;
    }
    finishValue();
    const header = SECTION_HEADER.exec(stripped);
    if (header) {
      const name = header[1]!;
      if (sections.has(name)) throw iniSyntax(file, lineNumber, `the section [${name}] appears twice`);
      section = new Map();
      sections.set(name, section);
      return;
    }
    if (!section) throw iniSyntax(file, lineNumber, 'a key comes before any [section] header');
    const option = OPTION.exec(stripped);
    const key = option?.[1]!.trimEnd().toLowerCase();
    if (!option || !key) throw iniSyntax(file, lineNumber, 'expected `key = value`, `key: value` or a [section] header');
    if (section.has(key)) throw iniSyntax(file, lineNumber, `the key ${key} appears twice in its section`);
    const entry = { value: '', line: lineNumber };
    section.set(key, entry);
    current = { entry, lines: [option[3]!], indent };
  });
  finishValue();
  return { file, sections };
}

const iniSyntax = (file: string, line: number, what: string) =>
  conflict(`cannot be read as an INI file: ${what}; nothing was changed.`, {
    path: `${file}:${line}`,
    hints: ['Fix the file (Alembic would refuse it too), then run again.'],
  });

/** A key of a section, falling back on [DEFAULT] as configparser does; undefined when absent. */
export function iniEntry(document: IniDocument, section: string, key: string): IniEntry | undefined {
  return document.sections.get(section)?.get(key) ?? document.sections.get(DEFAULT_SECTION)?.get(key);
}

/**
 * A key's value with configparser's basic interpolation: `%%` is a percent sign and `%(name)s`
 * the value of another key of the section (or [DEFAULT], or `defaults`, where Alembic puts
 * `here`). Undefined when the key is absent.
 */
export function iniValue(document: IniDocument, section: string, key: string, defaults: Readonly<Record<string, string>> = {}): string | undefined {
  const entry = iniEntry(document, section, key);
  return entry === undefined ? undefined : interpolate(document, section, key, entry, defaults, 1);
}

function interpolate(document: IniDocument, section: string, key: string, entry: IniEntry, defaults: Readonly<Record<string, string>>, depth: number): string {
  const where = `[${section}] ${key}`;
  const refused = (what: string) =>
    conflict(`${where} ${what}; nothing was changed.`, {
      path: `${document.file}:${entry.line}`,
      hints: ['Write `%%` for a percent sign and `%(name)s` for the value of another key, as Alembic reads it.'],
    });
  if (depth > MAX_INTERPOLATION_DEPTH) throw refused(`refers to other keys more than ${MAX_INTERPOLATION_DEPTH} levels deep (a loop?)`);
  return entry.value.replace(/%(%|\(([^)]+)\)s|.?)/gs, (match, rest: string, name: string | undefined) => {
    if (rest === '%') return '%';
    if (name === undefined) throw refused(`has a "%" that is neither "%%" nor "%(name)s" (at "${match}")`);
    const referenced = name.toLowerCase();
    const target = iniEntry(document, section, referenced);
    if (target !== undefined) return interpolate(document, section, referenced, target, defaults, depth + 1);
    if (Object.hasOwn(defaults, referenced)) return defaults[referenced]!;
    throw refused(`refers to %(${name})s, which is not a key of [${section}] or [${DEFAULT_SECTION}]`);
  });
}
