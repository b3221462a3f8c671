import type { ImportStatement } from './imports.js';
import type { Include, RouterDefinition } from './routers.js';
import type { LogicalLine } from './scan.js';

/**
 * The patcher's vocabulary, shared by the aggregator (what to do) and placement (where it
 * goes), so that neither imports the other's module for its types.
 */

/** What registering one feature in the aggregator means. */
export interface AggregatorEdit {
  /** The aggregator's path in the target, for messages. */
  file: string;
  /** The variable features are mounted on; undefined to detect it. */
  routerVar: string | undefined;
  /** The absolute module whose `router` attribute is the feature's router. */
  routerModule: string;
  /** The package the aggregator belongs to, to read and write relative imports. */
  aggregatorPackage: string;
  /** The name a new import binds, e.g. `pet_profile_router`. */
  alias: string;
  /** The feature's own URL segment, e.g. `/pet-profile`. */
  segment: string;
  /**
   * The API's URL prefix, e.g. `/api/v1`. Features included straight into the app carry it in
   * their include; a router of its own is mounted under it already.
   */
  apiPrefix: string;
  /** The comment put above the include when the file comments each of its includes. */
  comment: string;
  /** Ruff's line length in the target, which new import and include lines are laid out for. */
  lineLength?: number;
  /** The feature's router sets its own prefix (as its siblings do), so the include passes none. */
  prefixInModule?: true;
  /** The tag the include passes, as its siblings' includes do. */
  tag?: string;
}

/** The file as the patcher understands it. */
export interface AggregatorFile {
  source: string;
  eol: string;
  /** Every logical line, nested ones included. */
  lines: LogicalLine[];
  topLevel: LogicalLine[];
  imports: ImportStatement[];
  bindings: Map<string, string>;
  definitions: RouterDefinition[];
  includes: Include[];
}
