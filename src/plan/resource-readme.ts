import { INT64_MAX, INT64_MIN, type FieldValue, type Operation, type Resource, type ResourceField } from '../payload/resource.js';
import { codeFence, markdownText } from '../render/markdown.js';
import { shellQuoted } from '../output/command-line.js';
import type { ParentLookup } from './resource-context.js';
import { sampleValue } from './resource-samples.js';

const SURROGATE = /[\ud800-\udfff]/;

/** A GFM table as prettier aligns it (widths in code points: wide characters are not measured as two). */
export function markdownTable(header: readonly string[], rows: readonly string[][]): string {
  // In code points; only a surrogate pair makes that differ from the length (every cell asks).
  const width = (text: string) => (SURROGATE.test(text) ? [...text].length : text.length);
  const widths = header.map((cell, i) => Math.max(3, width(cell), ...rows.map((row) => width(row[i]!))));
  const line = (cells: readonly string[]) => `| ${cells.map((cell, i) => cell + ' '.repeat(widths[i]! - width(cell))).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** Text in a table cell: one line, pipes escaped. */
const cell = (text: string) => markdownText(text.replace(/\s*\n\s*/g, ' ')).replace(/(?<!\\)\|/g, '\\|');

/** A code span that holds `text` whatever backticks it has. */
const code = (text: string) => {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = longest > 0 || text.startsWith(' ') || text.endsWith(' ') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`.replace(/\|/g, '\\|');
};

const listed = (items: readonly string[]) => (items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`);
const TYPES: Record<string, string> = { str: 'string', text: 'string', int: 'integer', float: 'number', decimal: 'decimal (as a string)', bool: 'boolean', date: 'date', datetime: 'date-time with offset', uuid: 'UUID' };

const jsonValue = (field: ResourceField, value: FieldValue) => (field.type === 'decimal' && value !== null ? JSON.stringify(String(value)) : JSON.stringify(value));

function typeText(field: ResourceField, parents: ParentLookup): string {
  const base = field.type === 'enum' ? field.values.map(code).join(', ').replace(/, ([^,]*)$/, ' or $1') : field.type === 'ref' ? (parents(field.feature)!.id === 'uuid' ? 'UUID' : 'integer') : TYPES[field.type]!;
  if (!field.nullable) return base;
  return base.includes(' ') ? `${base}, or \`null\`` : `${base} or \`null\``;
}

function constraintsText(field: ResourceField, parents: ParentLookup): string {
  const parts: string[] = [];
  // Clients never send a read-only field: its constraints are the server's.
  if (field.readOnly) return '';
  if (field.type === 'str' || field.type === 'text') {
    if (field.minLength !== undefined && field.maxLength !== undefined) parts.push(`${field.minLength} to ${field.maxLength} characters`);
    else if (field.maxLength !== undefined) parts.push(`at most ${field.maxLength} characters`);
    else if (field.minLength !== undefined) parts.push(`at least ${field.minLength} characters`);
    if (field.pattern !== undefined) parts.push(`matches ${code(field.pattern)}`);
  }
  if (field.type === 'int' || field.type === 'float' || field.type === 'decimal') {
    if (field.gt !== undefined) parts.push(`> ${field.gt}`);
    if (field.ge !== undefined && field.ge !== INT64_MIN) parts.push(`>= ${field.ge}`);
    if (field.lt !== undefined) parts.push(`< ${field.lt}`);
    if (field.le !== undefined && field.le !== INT64_MAX) parts.push(`<= ${field.le}`);
    if (field.multipleOf !== undefined) parts.push(`a multiple of ${field.multipleOf}`);
  }
  if (field.type === 'decimal') parts.push(`at most ${field.maxDigits} digits, ${field.decimalPlaces} after the point`);
  if (field.unique) parts.push('unique');
  if (field.type === 'ref') parts.push(`an existing ${parents(field.feature)!.names.snake} (\`${field.feature}\`)`);
  return parts.join(', ');
}

function notesText(field: ResourceField, listed: boolean): string {
  const notes: string[] = [];
  // A filter is the list's: without it, the field is only indexed.
  if (field.filterable && listed) notes.push(field.type === 'ref' ? 'filter; `422` if it does not exist' : 'filter');
  else if (field.type === 'ref') notes.push('`422` if it does not exist');
  if (field.type === 'datetime') notes.push('returned in UTC');
  if (field.readOnly) notes.push(field.hasDefault && field.default !== null ? `read-only, starts at ${jsonValue(field, field.default!)}` : 'read-only');
  if (field.writeOnly) notes.push('write-only: never returned');
  const text = notes.join('; ');
  return field.description === undefined ? text : [cell(field.description), text].filter(Boolean).join('; ');
}

function requiredText(field: ResourceField): string {
  if (field.readOnly) return '';
  if (field.required) return 'yes';
  return field.hasDefault ? `no, default ${code(jsonValue(field, field.default ?? null))}` : 'no';
}

/** Wraps words at `width` columns, as the reference READMEs are wrapped. */
function wrap(text: string, width = 99): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && `${line} ${word}`.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  return [...lines, line].join('\n');
}


export function resourceReadme(feature: string, resource: Resource, url: string, parents: ParentLookup) {
  const { snake: name } = resource.names;
  const idPath = `${url}{${name}_id}`;
  const has = (operation: Operation) => resource.operations.includes(operation);
  const rows: [Operation, string[]][] = [
    ['create', ['`POST`', `\`${url}\``, `\`${feature}_create\``, `\`201\` the ${name}; \`409\` a unique field is taken; \`422\``]],
    ['list', ['`GET`', `\`${url}\``, `\`${feature}_list\``, '`200` a page: `items`, `total`, `limit`, `offset`; `422`']],
    ['get', ['`GET`', `\`${idPath}\``, `\`${feature}_get\``, `\`200\` the ${name}; \`404\`; \`422\``]],
    ['update', ['`PATCH`', `\`${idPath}\``, `\`${feature}_update\``, `\`200\` the ${name}; \`404\`; \`409\`; \`422\``]],
    ['delete', ['`DELETE`', `\`${idPath}\``, `\`${feature}_delete\``, '`204`; `404`; `409` other records still refer to it; `422`']],
  ];
  const endpoints = markdownTable(
    ['method', 'path', 'operation id', 'answers'],
    rows.filter(([operation]) => has(operation)).map(([, row]) => row),
  );
  const { defaultLimit, maxLimit } = resource.pagination;
  const filters = resource.fields.filter((field) => field.filterable);
  const paging = `\`GET ${url}\` takes \`limit\` (1 to ${maxLimit}, default ${defaultLimit}) and \`offset\` (default 0),`;
  const listing =
    filters.length === 0
      ? `${paging} and lists the oldest first.`
      : `${paging} lists the oldest first, and filters on ${listed(filters.map((field) => `\`${field.name}\``))} (each an exact match; \`total\` counts the matches).`;
  const patching = '`PATCH` changes only the fields its body sends; `null` clears a nullable field.';
  const usage = wrap([...(has('list') ? [listing] : []), ...(has('update') ? [patching] : [])].join(' '));
  const fields = markdownTable(
    ['field', 'type', 'required', 'constraints', 'notes'],
    [
      ['`id`', resource.id === 'uuid' ? 'UUID' : 'integer', '', '', 'generated, read-only'],
      ...resource.fields.map((field) => [`\`${field.name}\``, typeText(field, parents), requiredText(field), constraintsText(field, parents), notesText(field, has('list'))]),
      ['`created_at`, `updated_at`', 'date-time', '', '', 'set by the server, in UTC'],
    ],
  );
  const bodyOf = (chosen: readonly ResourceField[]) =>
    `{${chosen.map((field) => `${JSON.stringify(field.name)}: ${field.type === 'ref' ? JSON.stringify(`{${parents(field.feature)!.names.snake}_id}`) : jsonValue(field, sampleValue(field, 0))}`).join(', ')}}`;
  const writable = resource.fields.filter((field) => !field.readOnly);
  const required = writable.filter((field) => field.required);
  const firstFilter = filters.find((field) => field.type !== 'ref');
  const query = `?limit=${defaultLimit}&offset=0${firstFilter ? `&${firstFilter.name}=${encodeURIComponent(String(sampleValue(firstFilter, 0)))}` : ''}`;
  const patchField = writable.find((field) => field.type !== 'ref');
  const base = 'http://localhost:8000';
  const json = "  -H 'content-type: application/json' \\";
  const examples = [
    ...(has('create') ? [`curl -X POST ${base}${url} \\`, json, `  -d ${shellQuoted(bodyOf(required.length > 0 ? required : writable.slice(0, 1)))}`] : []),
    ...(has('list') ? [`curl '${base}${url}${query}'`] : []),
    ...(has('get') ? [`curl ${base}${idPath}`] : []),
    ...(has('update') ? [`curl -X PATCH ${base}${idPath} \\`, json, `  -d ${shellQuoted(bodyOf(patchField ? [patchField] : writable.slice(0, 1)))}`] : []),
    ...(has('delete') ? [`curl -X DELETE ${base}${idPath}`] : []),
  ].join('\n');
  return { endpoints, usage, fields, examples, fence: codeFence(examples) };
}
