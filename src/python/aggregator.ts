import { conflict } from '../errors.js';
import { formatCall, formatFromImport } from './format.js';
import { pyString } from './literal.js';
import { bracketContents, scanLogicalLines, splitTopLevel, stringValue, type LogicalLine, type Token } from './scan.js';

/** What registering one feature in the aggregator means. */
export interface AggregatorEdit {
  /** The aggregator's path in the target, for messages. */
  file: string;
  /** The variable features are mounted on, e.g. `api_v1_router`. */
  routerVar: string;
  /** The module whose `router` attribute is the feature's router. */
  routerModule: string;
  /** The name the import binds, e.g. `pet_profile_router`. */
  alias: string;
  /** The URL prefix given at include, e.g. `/pet-profile`. */
  prefix: string;
}

export interface PatchResult {
  text: string;
  changed: boolean;
}

interface Include {
  line: LogicalLine;
  /** The first positional argument as written, without spaces: `pet_profile_router`, `items.router`. */
  target: string;
  prefix: string | undefined;
}

const tokenTexts = (tokens: readonly Token[]) => tokens.map((token) => token.text).join('');

/** `name = Call(...)` or `name: Type = Call(...)` at the top level. */
function isAssignmentTo(line: LogicalLine, variable: string): boolean {
  const [first, second] = line.tokens;
  if (first?.text !== variable || second?.kind !== 'op') return false;
  const equals = line.tokens.findIndex((token) => token.kind === 'op' && token.text === '=');
  return (second.text === '=' || second.text === ':') && equals > 0 && line.tokens.slice(equals + 1).some((t) => t.text === '(');
}

function parseInclude(line: LogicalLine, routerVar: string): Include | undefined {
  const [owner, dot, method, open] = line.tokens;
  if (owner?.text !== routerVar || dot?.text !== '.' || method?.text !== 'include_router' || open?.text !== '(') {
    return undefined;
  }
  const args = splitTopLevel(bracketContents(line.tokens, 3));
  const positional = args.find((arg) => arg[1]?.text !== '=');
  const prefixArg = args.find((arg) => arg[0]?.text === 'prefix' && arg[1]?.text === '=');
  const prefixToken = prefixArg?.length === 3 ? prefixArg[2] : undefined;
  return {
    line,
    target: positional ? tokenTexts(positional) : '',
    prefix: prefixToken?.kind === 'string' ? stringValue(prefixToken) : undefined,
  };
}

/** Maps each name an import statement binds to the dotted path it stands for. */
function importBindings(line: LogicalLine): Map<string, string> {
  const bindings = new Map<string, string>();
  const tokens = line.tokens.filter((token) => token.text !== '(' && token.text !== ')');
  if (tokens[0]?.text === 'from') {
    const importAt = tokens.findIndex((token) => token.text === 'import');
    const module = tokenTexts(tokens.slice(1, importAt));
    for (const part of splitTopLevel(tokens.slice(importAt + 1))) {
      const name = part[0]!.text;
      bindings.set(part[1]?.text === 'as' ? part[2]!.text : name, `${module}.${name}`);
    }
  } else if (tokens[0]?.text === 'import') {
    for (const part of splitTopLevel(tokens.slice(1))) {
      const asAt = part.findIndex((token) => token.text === 'as');
      const dotted = tokenTexts(asAt >= 0 ? part.slice(0, asAt) : part);
      const head = dotted.split('.')[0]!;
      // `import a.b` binds `a`, which already stands for the package itself.
      if (asAt >= 0) bindings.set(part[asAt + 1]!.text, dotted);
      else bindings.set(head, head);
    }
  }
  return bindings;
}

const isImport = (line: LogicalLine) => line.tokens[0]?.text === 'import' || line.tokens[0]?.text === 'from';

function resolve(expression: string, bindings: Map<string, string>): string {
  const [head, ...rest] = expression.split('.');
  const bound = bindings.get(head!);
  return bound === undefined ? expression : [bound, ...rest].join('.');
}

const lineNumber = (source: string, offset: number) => source.slice(0, offset).split('\n').length;

function detectEol(source: string): string {
  const first = source.indexOf('\n');
  return first > 0 && source[first - 1] === '\r' ? '\r\n' : '\n';
}

interface Insertion {
  at: number;
  text: string;
}

/** Inserts whole lines after `line`, keeping the file's line endings and its (missing) final newline. */
function insertAfter(line: LogicalLine, lines: string, eol: string, blankBefore: boolean): Insertion {
  const body = lines.replaceAll('\n', eol);
  const blank = blankBefore ? eol : '';
  if (line.end === line.contentEnd) return { at: line.contentEnd, text: `${eol}${blank}${body}` };
  return { at: line.end, text: `${blank}${body}${eol}` };
}

/** Inserts whole lines before `line`, optionally with a blank line after them. */
function insertBefore(line: LogicalLine, lines: string, eol: string, blankAfter: boolean): Insertion {
  return { at: line.start, text: `${lines.replaceAll('\n', eol)}${eol}${blankAfter ? eol : ''}` };
}

function apply(source: string, insertions: Insertion[]): string {
  let text = source;
  for (const { at, text: added } of [...insertions].sort((a, b) => b.at - a.at)) {
    text = text.slice(0, at) + added + text.slice(at);
  }
  return text;
}

const fromModule = (line: LogicalLine) => {
  const importAt = line.tokens.findIndex((token) => token.text === 'import');
  return line.tokens[0]?.text === 'from' ? tokenTexts(line.tokens.slice(1, importAt)) : undefined;
};
const sortKey = (module: string) => module.toLowerCase();
const rootPackage = (module: string) => module.split('.')[0];

/**
 * Where the new `from <module> import router as <alias>` goes. Among `from` imports of the
 * same top-level package it takes its sorted place when they are sorted (as ruff's isort rule
 * wants); otherwise it follows the last router import; the first one starts a new import group.
 */
function placeImport(
  imports: readonly LogicalLine[],
  includes: readonly Include[],
  definition: LogicalLine,
  edit: AggregatorEdit,
  importText: string,
  eol: string,
): Insertion {
  const samePackage = imports.filter((line) => {
    const module = fromModule(line);
    return module !== undefined && rootPackage(module) === rootPackage(edit.routerModule);
  });
  const keys = samePackage.map((line) => sortKey(fromModule(line)!));
  if (samePackage.length > 0 && keys.every((key, i) => i === 0 || keys[i - 1]! <= key)) {
    const next = samePackage.find((_, i) => keys[i]! > sortKey(edit.routerModule));
    if (next) return insertBefore(next, importText, eol, false);
    return insertAfter(samePackage.at(-1)!, importText, eol, false);
  }
  const includedNames = new Set(includes.map((include) => include.target.split('.')[0]));
  const routerImport = imports.findLast((line) => [...importBindings(line).keys()].some((name) => includedNames.has(name)));
  const anchor = routerImport ?? imports.at(-1);
  if (anchor) return insertAfter(anchor, importText, eol, routerImport === undefined);
  return insertBefore(definition, importText, eol, true);
}

/**
 * Registers the feature's router: an import beside the other router imports and an include
 * after the router's last top-level include. A registration already there, however it is
 * spelled, leaves the text unchanged, so patching is idempotent.
 */
export function patchAggregator(source: string, edit: AggregatorEdit): PatchResult {
  const topLevel = scanLogicalLines(source).filter((line) => line.indent === '');
  const definition = topLevel.find((line) => isAssignmentTo(line, edit.routerVar));
  if (!definition) {
    throw conflict(
      `${edit.file}: found no top-level \`${edit.routerVar} = APIRouter(...)\` to mount the feature on.`,
      [`Set \`router\` (the variable) and \`aggregator\` (the file) under [tool.petsage] in pyproject.toml to point at the right place.`],
    );
  }

  const bindings = new Map<string, string>();
  const imports = topLevel.filter(isImport);
  for (const line of imports) for (const [name, dotted] of importBindings(line)) bindings.set(name, dotted);

  const includes = topLevel.flatMap((line) => parseInclude(line, edit.routerVar) ?? []);
  const featureRouter = `${edit.routerModule}.router`;
  if (includes.some((include) => resolve(include.target, bindings) === featureRouter)) {
    return { text: source, changed: false };
  }
  const clash = includes.find((include) => include.prefix === edit.prefix);
  if (clash) {
    throw conflict(`${edit.file}:${lineNumber(source, clash.line.start)}: \`${clash.target}\` is already mounted at "${edit.prefix}".`, [
      'Choose another feature name, or remove the existing include first.',
    ]);
  }

  const eol = detectEol(source);
  const insertions: Insertion[] = [];
  let local = [...bindings].find(([, dotted]) => dotted === featureRouter)?.[0];
  if (local === undefined) {
    if (bindings.has(edit.alias)) {
      throw conflict(`${edit.file}: the name \`${edit.alias}\` is already imported for something else.`, [
        'Rename that import, or choose another feature name.',
      ]);
    }
    local = edit.alias;
    const importText = formatFromImport(edit.routerModule, [`router as ${edit.alias}`]);
    insertions.push(placeImport(imports.filter((line) => line.start < definition.start), includes, definition, edit, importText, eol));
  }

  const includeText = formatCall(`${edit.routerVar}.include_router`, [local, `prefix=${pyString(edit.prefix)}`]);
  const lastInclude = includes.at(-1);
  insertions.push(insertAfter(lastInclude?.line ?? definition, includeText, eol, lastInclude === undefined));
  return { text: apply(source, insertions), changed: true };
}
