import { deriveNames } from '../naming.js';
import { MAX_IDENTIFIER_BYTES, type ResourceNames } from './model.js';

/**
 * The plural of a snake_case singular, as the table is named: `+es` after s, x, z, ch or sh;
 * `y` after a consonant becomes `ies`; else `+s`. Only the last word changes (`pet_category`
 * -> `pet_categories`).
 */
export function pluralize(singular: string): string {
  if (/(s|x|z|ch|sh)$/.test(singular)) return `${singular}es`;
  if (/[b-df-hj-np-tv-z]y$/.test(singular)) return `${singular.slice(0, -1)}ies`;
  return `${singular}s`;
}

/** Assumes `name` is a valid resource name (snake_case), and `table` its plural as given or derived. */
export function resourceNames(name: string, table = pluralize(name)): ResourceNames {
  const { pascal } = deriveNames(name);
  return {
    snake: name,
    pascal,
    table,
    primaryKey: `pk_${table}`,
    classes: {
      model: pascal,
      create: `${pascal}Create`,
      update: `${pascal}Update`,
      read: `${pascal}Read`,
      page: `${pascal}Page`,
      error: `${pascal}Error`,
      notFound: `${pascal}NotFound`,
      conflict: `${pascal}Conflict`,
      invalid: `${pascal}Invalid`,
    },
  };
}

/** The constraint names of Base's naming convention, which the migration spells out too. */
export const uniqueName = (table: string, column: string) => `uq_${table}_${column}`;
export const indexName = (table: string, column: string) => `ix_${table}_${column}`;
export const foreignKeyName = (table: string, column: string, parentTable: string) => `fk_${table}_${column}_${parentTable}`;

/** Why PostgreSQL would refuse `identifier` (it truncates silently, so two names could meet), or undefined when it fits. */
export function identifierTooLong(identifier: string, what: string): string | undefined {
  const bytes = Buffer.byteLength(identifier);
  if (bytes <= MAX_IDENTIFIER_BYTES) return undefined;
  return `would name ${what} ${identifier}, ${bytes} bytes; PostgreSQL allows ${MAX_IDENTIFIER_BYTES}: shorten the field or resource name`;
}
