import { conflict } from '../errors.js';
import { lineNumber } from './edits.js';
import { stringValue, bracketContents, splitTopLevel, type LogicalLine, type Token } from './scan.js';

/** A top-level `name = Callee(...)` or `name: Type = Callee(...)`. */
export interface RouterDefinition {
  name: string;
  line: LogicalLine;
  /** The callee's last name: `APIRouter`, `FastAPI`, `VersionedRouter`, `make_router`. */
  callee: string;
}

/** A top-level `owner.include_router(target, ...)`. */
export interface Include {
  line: LogicalLine;
  owner: string;
  /** The first positional argument as written, without spaces: `items_router`, `items.router`. */
  target: string;
  prefix: string | undefined;
  /** Every argument but the router and `prefix`, as written without spaces (`include_in_schema=False`): what mounts it otherwise. */
  otherArguments: string[];
}

const tokenTexts = (tokens: readonly Token[]) => tokens.map((token) => token.text).join('');

export function findRouterDefinitions(topLevel: readonly LogicalLine[]): RouterDefinition[] {
  return topLevel.flatMap((line) => {
    const [name, next] = line.tokens;
    if (name?.kind !== 'name' || (next?.text !== '=' && next?.text !== ':')) return [];
    const equals = line.tokens.findIndex((token) => token.kind === 'op' && token.text === '=');
    const call = line.tokens.slice(equals + 1);
    const open = call.findIndex((token) => token.text === '(');
    const callee = call.slice(0, open);
    if (equals < 0 || open < 0 || !isDottedName(callee)) return [];
    return [{ name: name.text, line, callee: callee.at(-1)!.text }];
  });
}

export function parseInclude(line: LogicalLine): Include | undefined {
  const [owner, dot, method, open] = line.tokens;
  if (owner?.kind !== 'name' || dot?.text !== '.' || method?.text !== 'include_router' || open?.text !== '(') return undefined;
  const args = splitTopLevel(bracketContents(line.tokens, 3));
  const keyword = (name: string) => args.find((arg) => arg[0]?.text === name && arg[1]?.text === '=')?.slice(2);
  const positional = args.find((arg) => arg[1]?.text !== '=') ?? keyword('router');
  const prefixValue = keyword('prefix');
  const prefixToken = prefixValue?.length === 1 ? prefixValue[0] : undefined;
  const otherArguments = args.filter((arg) => arg !== positional && !(arg[1]?.text === '=' && (arg[0]?.text === 'prefix' || arg[0]?.text === 'router'))).map(tokenTexts);
  return {
    line,
    owner: owner.text,
    target: positional ? tokenTexts(positional) : '',
    prefix: prefixToken?.kind === 'string' ? stringValue(prefixToken) : undefined,
    otherArguments,
  };
}

/** A top-level tuple or list of routers (`ROUTERS = (users.router, items.router)`), which a loop includes. */
export interface RouterCollection {
  name: string;
  line: LogicalLine;
  kind: 'tuple' | 'list';
}

const isDottedName = (tokens: readonly Token[]) => tokens.length > 0 && tokens.every((token, i) => (i % 2 === 0 ? token.kind === 'name' : token.text === '.'));

/**
 * The top-level tuples and lists of dotted names that look like routers: the variable or an
 * item is named for one. Features cannot be added to them with an `include_router` line.
 */
export function findRouterCollections(topLevel: readonly LogicalLine[]): RouterCollection[] {
  return topLevel.flatMap((line): RouterCollection[] => {
    const [name, next] = line.tokens;
    if (name?.kind !== 'name' || (next?.text !== '=' && next?.text !== ':')) return [];
    const equals = line.tokens.findIndex((token) => token.kind === 'op' && token.text === '=');
    const open = line.tokens[equals + 1];
    if (equals < 0 || (open?.text !== '(' && open?.text !== '[')) return [];
    const inside = bracketContents(line.tokens, equals + 1);
    if (equals + 1 + inside.length + 2 !== line.tokens.length) return [];
    const items = splitTopLevel(inside).filter((item) => item.length > 0);
    const routerish = (text: string) => /router/i.test(text);
    if (items.length === 0 || !items.every(isDottedName)) return [];
    if (!routerish(name.text) && !items.some((item) => routerish(item.at(-1)!.text))) return [];
    return [{ name: name.text, line, kind: open.text === '(' ? 'tuple' : 'list' }];
  });
}

/**
 * Exit 3 for an aggregator that collects its routers in a tuple or list: the form, and the
 * config that works instead.
 */
export function collectionRefused(collection: RouterCollection, file: string, source: string) {
  return conflict(`${collection.name} (line ${lineNumber(source, collection.line.start)}) is a ${collection.kind} of routers, not a router: petsage-build mounts a feature with an \`include_router\` call of its own, which a ${collection.kind} has no place for.`, {
    path: file,
    hints: [
      'Point `aggregator` under [tool.petsage] at the module that includes those routers (the one that loops over the ' + collection.kind + ', often the app\'s, e.g. "app/main.py") and `router` at the FastAPI app or APIRouter there (e.g. "app"): each feature then gets an include_router line of its own beside the loop.',
    ],
  });
}

const isRouterLike = (definition: RouterDefinition) =>
  definition.callee === 'FastAPI' || definition.callee.endsWith('Router');

/**
 * The router features are mounted on, when the config does not name one: the only router,
 * or the only one that already carries includes. A router that includes another router of
 * the same file composes them and is never chosen.
 */
export function detectRouter(definitions: readonly RouterDefinition[], includes: readonly Include[], file: string, source: string, collections: () => readonly RouterCollection[] = () => []): string {
  const routers = definitions.filter(isRouterLike);
  const hint = 'Set `router = "<variable>"` under [tool.petsage] in pyproject.toml to choose.';
  if (routers.length === 0) {
    const [collection] = collections();
    if (collection) throw collectionRefused(collection, file, source);
    throw conflict('found no router to mount the feature on; looked for a top-level `x = APIRouter(...)` or `app = FastAPI(...)`.', {
      path: file,
      hints: [hint, 'Or point `aggregator` under [tool.petsage] at the file that includes the feature routers.'],
    });
  }
  const local = new Set(routers.map((router) => router.name));
  const composers = new Set(includes.filter((include) => local.has(include.target)).map((include) => include.owner));
  const candidates = routers.filter((router) => !composers.has(router.name));
  const carriers = candidates.filter((router) => includes.some((include) => include.owner === router.name));
  if (carriers.length === 1) return carriers[0]!.name;
  if (carriers.length === 0 && candidates.length === 1) return candidates[0]!.name;
  const listed = (carriers.length > 1 ? carriers : candidates.length > 0 ? candidates : routers).map(
    (router) => `${router.name} (line ${lineNumber(source, router.line.start)})`,
  );
  throw conflict(`several routers could take the feature: ${listed.join(', ')}.`, { path: file, hints: [hint] });
}
