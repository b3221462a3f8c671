import type { Blueprint } from '../blueprint/presets.js';
import type { Feature } from '../payload/payload.js';
import { pyString } from '../python/literal.js';
import { DEFAULT_MOUNT, type Mount, type PrefixSource } from '../python/siblings.js';

/** What a feature's own router sets, following the backend's mount (see siblings.ts). */
export interface RouterMount {
  /** The URL prefix in `APIRouter(prefix=...)`, when the siblings set theirs there. */
  prefix?: string;
  /** The tag in `APIRouter(tags=[...])`, when the siblings set theirs there. */
  tag?: string;
  /** The tag the feature's operations carry, wherever it is set: what its tests expect. */
  expectedTag: string;
  /** The tag the include passes, when the siblings pass theirs there. */
  includeTag?: string;
  /** The settings value the API is mounted under, which the tests build URLs from. */
  prefixFrom?: PrefixSource;
}

/** The feature's tag in the siblings' style. */
function tagOf(names: Feature['names'], style: Mount['tagStyle']): string {
  if (style === 'kebab') return names.kebab;
  return style === 'snake' ? names.snake : names.title;
}

/** The feature's own mount: its URL segment, under the API prefix when routers hang on the app. */
export function routerMount(names: Feature['names'], blueprint: Blueprint): RouterMount {
  const mount = blueprint.mount ?? DEFAULT_MOUNT;
  const tag = tagOf(names, mount.tagStyle);
  const segment = `/${names.kebab}`;
  return {
    ...(mount.prefix === 'module' && { prefix: mount.onApp ? `${blueprint.apiPrefix.replace(/\/$/, '')}${segment}` : segment }),
    ...(mount.tags === 'module' ? { tag } : { includeTag: tag }),
    expectedTag: tag,
    ...(mount.prefixFrom && { prefixFrom: mount.prefixFrom }),
  };
}

/**
 * A feature's URL as the tests write it: the path under the API prefix, after the settings value
 * the app mounts the API under (`f"{settings.API_V1_STR}/pets/"`), else the whole literal path.
 */
export function testUrl(mount: RouterMount, apiPrefix: string, path: string): string {
  const { prefixFrom } = mount;
  return prefixFrom ? `f${pyString(`{${prefixFrom.name}.${prefixFrom.attribute}}${path}`)}` : pyString(`${apiPrefix.replace(/\/$/, '')}${path}`);
}

/** `APIRouter(...)`'s keyword arguments for the mount: `prefix="/x"`, `tags=["X"]`. */
export const routerArgs = (mount: RouterMount): string[] => [...(mount.prefix === undefined ? [] : [`prefix=${pyString(mount.prefix)}`]), ...(mount.tag === undefined ? [] : [`tags=[${pyString(mount.tag)}]`])];

/** The blueprint's route dependencies (`module:name`, resolved to callables), as imports. */
export const routeDependenciesOf = (blueprint: Blueprint) => (blueprint.routeDependencies ?? []).map((entry) => {
  const [module, name] = entry.split(':') as [string, string];
  return { module, name };
});

/** `dependencies=[Depends(a), Depends(b)]` for a router, when it has any. */
export const dependenciesArg = (dependencies: readonly { name: string }[]): string[] => (dependencies.length === 0 ? [] : [`dependencies=[${dependencies.map(({ name }) => `Depends(${name})`).join(', ')}]`]);
