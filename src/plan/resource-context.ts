import type { Blueprint, ResourceLayout } from '../blueprint/presets.js';
import { invalidInput } from '../errors.js';
import type { Feature } from '../payload/payload.js';
import { INT64_MAX, INT64_MIN, pluralize, type DecimalField, type Operation, type EnumField, type RefField, type Resource, type ResourceField } from '../payload/resource.js';
import { deriveNames } from '../payload/naming.js';
import { foreignKeyName } from '../payload/resource/names.js';
import { annotated, comparisonCall, flat, group, layout, nested, parenthesized, pretty, prettyDef, refCondition, type Doc } from '../python/layout.js';
import { pyDocstring, pyString } from '../python/literal.js';
import { Imports } from './resource-imports.js';
import type { CodeStyle } from '../python/code-style.js';
import type { DatabaseImports } from './database-imports.js';
import { parentOf, type ParentLookup } from './resource-parents.js';
import { resourceTests } from './resource-tests.js';
import { dependenciesArg, routerArgs, testUrl, type RouterMount } from './mount.js';
import { createTableDocs, indexNameOf as indexNameIn, tableSignature } from './resource-columns.js';
import { literalDoc, pythonLiteral as valueLiteral } from './resource-samples.js';

/** A parent resource a ref field names, as the child's code needs it. */
export interface ParentResource {
  feature: string;
  resource: Resource;
}

export type { ParentLookup } from './resource-parents.js';

const INDENT = '    ';

/** The names the generated modules use as locals and parameters: a resource named so would shadow one. */
const LOCAL_NAMES = new Set(['value', 'values', 'field', 'changes', 'data', 'query', 'error', 'taken', 'statement', 'column', 'conditions', 'service', 'session', 'now', 'self', 'cls', 'handle', 'request', 'router', 'item', 'key', 'engine', 'client', 'body', 'response', 'fields', 'moment', 'operation']);

const article = (word: string) => (/^[aeiou]/.test(word) ? 'an' : 'a');
const pascalOf = (snake: string) => deriveNames(snake).pascal;
const withUnderscores = (digits: string) => digits.replace(/\B(?=(\d{3})+(?!\d))/g, '_');

/** A numeric bound as Python source: the 64-bit limits with underscores, decimals as Decimal when fractional. */
function numberLiteral(text: string, field: ResourceField, imports: Imports): string {
  if (text === INT64_MAX || text === INT64_MIN) return text.startsWith('-') ? `-${withUnderscores(text.slice(1))}` : withUnderscores(text);
  if (field.type === 'decimal' && !/^-?\d+$/.test(text)) {
    imports.add('decimal', 'Decimal');
    return `Decimal(${pyString(text)})`;
  }
  return text;
}

/** A pattern as a raw string when it can be one (what a reader expects), else an escaped literal. */
function patternLiteral(pattern: string): string {
  const printable = /^[\x20-\x7e]*$/.test(pattern) && !/(^|[^\\])(\\\\)*\\$/.test(pattern);
  if (printable && !pattern.includes('"')) return `r"${pattern}"`;
  if (printable && !pattern.includes("'")) return `r'${pattern}'`;
  return pyString(pattern);
}

/** The keyword arguments of a field's constraint alias, in Pydantic's order. */
function constraintArgs(field: ResourceField, imports: Imports): string[] {
  const args: string[] = [];
  if (field.type === 'str' || field.type === 'text') {
    if (field.minLength !== undefined) args.push(`min_length=${field.minLength}`);
    if (field.maxLength !== undefined) args.push(`max_length=${field.maxLength}`);
    if (field.pattern !== undefined) args.push(`pattern=${patternLiteral(field.pattern)}`);
  }
  if (field.type === 'int' || field.type === 'float' || field.type === 'decimal') {
    for (const [key, name] of [['gt', 'gt'], ['ge', 'ge'], ['lt', 'lt'], ['le', 'le'], ['multipleOf', 'multiple_of']] as const) {
      const bound = field[key];
      if (bound !== undefined) args.push(`${name}=${numberLiteral(bound, field, imports)}`);
    }
  }
  if (field.type === 'decimal') args.push(`max_digits=${field.maxDigits}`, `decimal_places=${field.decimalPlaces}`);
  if (field.type === 'float') args.push('allow_inf_nan=False');
  return args;
}

/** Whether a field's values go through a `<Name><Field>` alias. */
export function hasAlias(field: ResourceField): boolean {
  if (field.type === 'text') return field.minLength !== undefined || field.maxLength !== undefined || field.pattern !== undefined;
  return ['str', 'int', 'float', 'decimal', 'enum'].includes(field.type);
}

/** The Python type of a field's values, plain (the Read model, the ORM). */
function plainType(field: ResourceField, parents: ParentLookup, imports: Imports, schemaAlias?: string): string {
  switch (field.type) {
    case 'str':
    case 'text':
      return 'str';
    case 'int':
    case 'float':
    case 'bool':
      return field.type;
    case 'decimal':
      imports.add('decimal', 'Decimal');
      return 'Decimal';
    case 'date':
      imports.add('datetime', 'date');
      return 'date';
    case 'datetime':
      imports.add('datetime', 'datetime');
      return 'datetime';
    case 'uuid':
      imports.add('uuid', 'UUID');
      return 'UUID';
    case 'enum':
      return schemaAlias!;
    case 'ref': {
      const idType = parentOf(field, parents).id;
      if (idType === 'uuid') imports.add('uuid', 'UUID');
      return idType === 'uuid' ? 'UUID' : 'int';
    }
  }
}

/** What the plan refuses before any file is written: names the generated code would confuse. */
function assertGeneratable(feature: Feature, resource: Resource): void {
  const { pascal } = resource.names;
  const fixed = new Set([...Object.values(resource.names.classes), `${pascal}ListQuery`, `${pascal}Repository`, `${pascal}Service`, `${pascal}ServiceDep`, `${pascal}Route`, `${pascal}Id`]);
  for (const field of resource.fields) {
    const alias = `${pascal}${pascalOf(field.name)}`;
    if (fixed.has(alias)) throw invalidInput(`the field "${field.name}" would name its type ${alias}, which is one of the resource's classes; rename the field.`, { path: `resource.fields.${field.name}` });
  }
  for (const local of [resource.names.snake, resource.names.table]) {
    if (!LOCAL_NAMES.has(local)) continue;
    // A plural the rule does not derive was given as its own key; a derived one changes with the name.
    if (local === resource.names.table && local !== pluralize(resource.names.snake)) throw invalidInput(`"${local}" would name a variable which the generated code uses for something else; choose another plural.`, { path: 'resource.plural' });
    throw invalidInput(`"${resource.names.snake}" would name a variable ${local}, which the generated code uses for something else; choose another resource name.`, { path: 'resource.name' });
  }
  if (feature.names.snake.length === 0) throw new Error('unreachable');
}

/** Which operations a resource has, and what they need between them. */
export function operationsOf(resource: Resource) {
  const has = (operation: Operation) => resource.operations.includes(operation);
  const [create, list, get, update, remove] = [has('create'), has('list'), has('get'), has('update'), has('delete')];
  return {
    create,
    list,
    get,
    update,
    delete: remove,
    /** An endpoint on `<url>{id}`. */
    byId: get || update || remove,
    /** A body to validate and store: the unique and reference checks, and the clock. */
    writes: create || update,
    clock: create || update,
    /** The read schema: what every endpoint but delete answers with. */
    read: create || list || get || update,
    /** An endpoint that documents error answers. */
    errors: create || get || update || remove,
  };
}

export interface ResourceModules {
  schema: string;
  service: string;
  router: string;
  model: string;
  repository: string;
  dependencies: string;
  database: DatabaseImports;
  app: string;
  /** The app's variable in that module (`application` of `service.http.server:application`): the tests import it as `app`. */
  appVar: string;
}

/** Everything the resource templates print that depends on the payload, laid out for ruff. */
export function resourceContext(feature: Feature, resource: Resource, modules: ResourceModules, url: string, style: CodeStyle, parents: ParentLookup, modelModuleOf: (feature: string) => string, urlOf: (feature: string) => string, mount: RouterMount, routeDependencies: readonly { module: string; name: string }[] = []) {
  assertGeneratable(feature, resource);
  const { names } = resource;
  const Name = names.pascal;
  const name = names.snake;
  const plural = names.table;
  const a = article(name);
  const idPy = resource.id === 'uuid' ? 'UUID' : 'int';
  const idParam = `${name}_id`;
  const fields = resource.fields;
  const writable = fields.filter((field) => !field.readOnly);
  const readable = fields.filter((field) => !field.writeOnly);
  const filters = fields.filter((field) => field.filterable);
  const uniques = fields.filter((field) => field.unique);
  const refs = fields.filter((field): field is RefField => field.type === 'ref');
  const aliasOf = (field: ResourceField) => (hasAlias(field) ? `${Name}${pascalOf(field.name)}` : undefined);
  const L = style.lineLength;
  const ops = operationsOf(resource);
  const docLine = (text: string, indent = '') => `${indent}${pyDocstring(text, indent, L)}`;

  // schemas.py
  const schemaImports = new Imports(style).add('pydantic', 'BaseModel');
  const field_ = () => schemaImports.add('pydantic', 'Field');
  const schemaType = (field: ResourceField) => {
    if (field.type === 'datetime') {
      schemaImports.add('pydantic', 'AwareDatetime');
      return 'AwareDatetime';
    }
    return aliasOf(field) ?? plainType(field, parents, schemaImports);
  };
  // A read-only field's bounds hold for what the server stores, not for a body: no alias, but for
  // an enum (its type, which the model and the read schema use too). A filter uses its field's alias.
  const aliased = (field: ResourceField) => hasAlias(field) && (field.type === 'enum' || (ops.writes && !field.readOnly) || (ops.list && field.filterable));
  const aliases = fields.filter(aliased).map((field) => {
    const alias = aliasOf(field)!;
    if (field.type === 'enum') {
      schemaImports.add('typing', 'Literal');
      return layout(group(`${alias} = Literal`, (field as EnumField).values.map(pyString), '', '[', ']'), '', L);
    }
    schemaImports.add('typing', 'Annotated');
    field_();
    const base = plainType(field, parents, schemaImports);
    return layout(group(`${alias} = Annotated`, [base, group('Field', constraintArgs(field, schemaImports))], '', '[', ']'), '', L);
  });
  const aliasUsers = [ops.create && ops.update ? 'the create and update bodies' : ops.create ? 'the create body' : ops.update ? 'the update body' : '', ops.list && fields.some((field) => aliased(field) && field.filterable) ? 'the filters' : ''].filter(Boolean);
  const aliasComment = aliasUsers.length === 0 ? "# Each enum field's values." : `# Each constrained field's type, ${aliasUsers.length > 1 || (ops.create && ops.update) ? 'shared by' : 'used by'} ${aliasUsers.join(' and ')}.`;
  const documented = (field: ResourceField, extra: string[]) => {
    const args: Doc[] = [...extra];
    if (field.description !== undefined) args.push(`description=${pyString(field.description)}`);
    if (field.example !== undefined) args.push(group('examples=', [valueLiteral(field, field.example, schemaImports)], '', '[', ']'));
    field_();
    return args;
  };
  const hasDocs = (field: ResourceField) => field.description !== undefined || field.example !== undefined;
  const createLines = !ops.create
    ? []
    : writable.map((field) => {
        const type = `${schemaType(field)}${field.nullable ? ' | None' : ''}`;
        const defaultValue = field.required ? undefined : field.hasDefault ? valueLiteral(field, field.default ?? null, schemaImports) : 'None';
        if (!hasDocs(field)) return annotated(field.name, type, defaultValue === undefined ? undefined : literalDoc('', defaultValue), INDENT, L);
        return annotated(field.name, type, group('Field', documented(field, defaultValue === undefined ? [] : [`default=${defaultValue}`])), INDENT, L);
      });
  const updateLines = !ops.update
    ? []
    : writable.map((field) => {
        const type = `${schemaType(field)} | None`;
        if (!hasDocs(field)) return annotated(field.name, type, 'None', INDENT, L);
        return annotated(field.name, type, group('Field', documented(field, ['default=None'])), INDENT, L);
      });
  const notNull = writable.filter((field) => !field.nullable);
  if (ops.update && notNull.length > 0) schemaImports.add('pydantic', 'field_validator');
  const rejectNull = !ops.update || notNull.length === 0 ? undefined : layout(group('@field_validator', [...notNull.map((field) => pyString(field.name)), 'mode="before"']), INDENT, L);
  const readLines = !ops.read
    ? []
    : readable.map((field) => {
        const type = `${field.type === 'enum' ? aliasOf(field)! : plainType(field, parents, schemaImports)}${field.nullable ? ' | None' : ''}`;
        if (!hasDocs(field)) return annotated(field.name, type, undefined, INDENT, L);
        return annotated(field.name, type, group('Field', documented(field, [])), INDENT, L);
      });
  const queryLines = !ops.list ? [] : filters.map((field) => annotated(field.name, `${schemaType(field)} | None`, 'None', INDENT, L));
  if (ops.create || ops.update || ops.read || ops.list) schemaImports.add('pydantic', 'ConfigDict');
  if (ops.read) schemaImports.add('datetime', 'datetime');
  if (ops.list) field_();
  if (ops.read && resource.id === 'uuid') schemaImports.add('uuid', 'UUID');
  const maxId = resource.id === 'int' && ops.byId;
  const limits = ops.list ? [`DEFAULT_LIMIT = ${resource.pagination.defaultLimit}`, `MAX_LIMIT = ${resource.pagination.maxLimit}`] : [];
  const largest = ops.list && maxId ? '# The largest id and offset: a 64-bit signed integer, as databases store them.' : ops.list ? '# The largest offset: a 64-bit signed integer, as databases take it.' : maxId ? '# The largest id: a 64-bit signed integer, as databases store it.' : undefined;
  const constants = [...limits, ...(largest ? [largest] : []), ...(maxId ? ['MAX_ID = 9_223_372_036_854_775_807'] : []), ...(ops.list ? ['MAX_OFFSET = 9_223_372_036_854_775_807'] : [])];

  // models.py
  const { database } = modules;
  const modelImports = new Imports(style).add('datetime', 'datetime').add('sqlalchemy.orm', 'Mapped', 'mapped_column').add(database.base.module, database.base.name).add(database.types, 'UTCDateTime');
  const sa = (...names: string[]) => modelImports.add('sqlalchemy', ...names);
  const columnType = (field: ResourceField): Doc => {
    switch (field.type) {
      case 'str':
        sa('String');
        return `String(${field.maxLength})`;
      case 'text':
        sa('Text');
        return 'Text';
      case 'int':
        sa('BigInteger');
        return 'BigInteger';
      case 'float':
        sa('Double');
        return 'Double';
      case 'decimal':
        sa('Numeric');
        return `Numeric(${(field as DecimalField).maxDigits}, ${(field as DecimalField).decimalPlaces})`;
      case 'bool':
        sa('Boolean');
        return 'Boolean';
      case 'date':
        sa('Date');
        return 'Date';
      case 'datetime':
        return 'UTCDateTime';
      case 'uuid':
        sa('Uuid');
        return 'Uuid';
      case 'enum':
        sa('Enum');
        modelImports.add('typing', 'get_args').add(modules.schema, aliasOf(field)!);
        return group('Enum', [group('*get_args', [aliasOf(field)!]), 'native_enum=False']);
      case 'ref':
        if (parentOf(field, parents).id === 'uuid') {
          sa('Uuid');
          return 'Uuid';
        }
        sa('BigInteger');
        return 'BigInteger';
    }
  };
  const idLines =
    resource.id === 'uuid'
      ? (modelImports.add('uuid', 'UUID', 'uuid4'), sa('Uuid'), [layout(group('id: Mapped[UUID] = mapped_column', ['Uuid', 'primary_key=True', 'default=uuid4']), INDENT, L)])
      : (sa('BigInteger', 'Integer'),
        [`${INDENT}# BIGINT, but INTEGER on SQLite, which numbers rows only for INTEGER primary keys.`, layout(group('id: Mapped[int] = mapped_column', ['BigInteger().with_variant(Integer(), "sqlite")', 'primary_key=True']), INDENT, L)]);
  const columnLines = fields.map((field) => {
    const type = `${field.type === 'enum' ? aliasOf(field)! : plainType(field, parents, modelImports)}${field.nullable ? ' | None' : ''}`;
    const args: Doc[] = [columnType(field)];
    if (field.type === 'ref') {
      sa('ForeignKey');
      const parentTable = parentOf(field, parents).names.table;
      const target = pyString(`${parentTable}.id`);
      args.push(database.namesConstraints ? group('ForeignKey', [target, `name=${pyString(foreignKeyName(plural, field.name, parentTable))}`]) : `ForeignKey(${target})`);
    }
    if (field.unique && !database.namesConstraints) args.push('unique=True');
    if (field.hasDefault) args.push(literalDoc('default=', valueLiteral(field, field.default ?? null, modelImports)));
    if (field.filterable && !field.unique && !database.namesConstraints) args.push('index=True');
    return annotated(field.name, `Mapped[${type}]`, group('mapped_column', args), INDENT, L);
  });
  const tableArgs = database.namesConstraints ? namedConstraints(resource, modelImports, L) : undefined;

  // repository.py
  const idImports = (imports: Imports) => (resource.id === 'uuid' ? imports.add('uuid', 'UUID') : imports);
  const repoImports = new Imports(style).add('sqlalchemy.orm', 'Session').add(modules.model, Name);
  if (ops.byId || ops.update) idImports(repoImports);
  if (ops.writes) repoImports.add('collections.abc', 'Mapping').add('typing', 'Any').add('sqlalchemy.orm', 'InstrumentedAttribute').add('sqlalchemy', 'select');
  if (ops.list) repoImports.add('collections.abc', 'Sequence').add('sqlalchemy', 'func', 'select').add(modules.schema, `${Name}ListQuery`);
  if (ops.list && filters.length > 0) repoImports.add('sqlalchemy', 'ColumnElement');
  const refParents = [...new Map(refs.map((field) => [field.feature, parentOf(field, parents)])).entries()].map(([parentFeature, parent]) => ({ feature: parentFeature, resource: parent }));
  if (ops.writes) {
    for (const { feature: parentFeature, resource: parent } of refParents) {
      repoImports.add(modelModuleOf(parentFeature), parent.names.pascal);
      if (parent.id === 'uuid') repoImports.add('uuid', 'UUID');
    }
  }
  const uniqueColumns = uniques.map((field) => `${INDENT}${pyString(field.name)}: ${Name}.${field.name},`);
  const filterLines = filters.flatMap((field) => [`${INDENT}if query.${field.name} is not None:`, comparisonCall('conditions.append', `${Name}.${field.name}`, '==', `query.${field.name}`, INDENT.repeat(2), L)]);
  // A chain as ruff lays it out: on one line, else in parentheses on one line, else a link per line.
  const fluent = (links: Doc[]) => {
    const chain = links.map(flat).join('');
    const oneLine = `${INDENT.repeat(2)}statement = ${chain}`;
    if (oneLine.length <= L) return oneLine;
    const inner = `${INDENT.repeat(3)}${chain}`;
    if (inner.length <= L) return [`${INDENT.repeat(2)}statement = (`, inner, `${INDENT.repeat(2)})`].join('\n');
    return [`${INDENT.repeat(2)}statement = (`, ...links.map((link) => layout(link, INDENT.repeat(3), L)), `${INDENT.repeat(2)})`].join('\n');
  };
  const where = filters.length > 0 ? ['.where(*filters(query))'] : [];
  const pageStatement = fluent([`select(${Name})`, ...where, group('.order_by', [`${Name}.created_at`, `${Name}.id`]), '.offset(query.offset)', '.limit(query.limit)']);
  const countLinks = ['select(func.count())', `.select_from(${Name})`, ...where];
  const countStatement = fluent(countLinks);
  const excludeParam = ops.update ? [`exclude_id: ${idPy} | None = None`] : [];
  const filtersDef = prettyDef('filters', [`query: ${Name}ListQuery`], 'list[ColumnElement[bool]]', '', L);
  const getDef = layout(group('def get', ['self', `${idParam}: ${idPy}`], ` -> ${Name} | None:`), INDENT, L);
  const pageDef = layout(group('def page', ['self', `query: ${Name}ListQuery`], ` -> Sequence[${Name}]:`), INDENT, L);
  const addDef = layout(group('def add', ['self', `${name}: ${Name}`], ' -> None:'), INDENT, L);
  const deleteDef = layout(group('def delete', ['self', `${name}: ${Name}`], ' -> None:'), INDENT, L);
  const takenDef = layout(group('def taken_fields', ['self', 'values: Mapping[str, Any]', ...excludeParam], ' -> list[str]:'), INDENT, L);
  const existsMethods = !ops.writes
    ? []
    : refParents.map(({ resource: parent }) => {
        const parentId = `${parent.names.snake}_id`;
        const parentIdPy = parent.id === 'uuid' ? 'UUID' : 'int';
        return [
          layout(group(`def ${parent.names.snake}_exists`, ['self', `${parentId}: ${parentIdPy}`], ' -> bool:'), INDENT, L),
          // ruff splits the last brackets first; what comes before them is short enough to fit.
          layout(group(`statement = select(${parent.names.pascal}.id).where`, [`${parent.names.pascal}.id == ${parentId}`]), INDENT.repeat(2), L),
          `${INDENT.repeat(2)}return self.session.scalar(statement) is not None`,
        ].join('\n');
      });

  // services.py
  const serviceImports = new Imports(style).add('sqlalchemy.orm', 'Session').add(modules.repository, `${Name}Repository`);
  if (ops.byId) idImports(serviceImports);
  if (ops.writes) serviceImports.add('collections.abc', 'Mapping').add('typing', 'Any');
  const utc = ops.clock ? serviceImports.add('datetime', 'datetime').utc() : undefined;
  if (ops.writes || ops.delete) serviceImports.add('sqlalchemy.exc', 'IntegrityError');
  if (ops.create || ops.byId) serviceImports.add(modules.model, Name);
  const schemaNames = [...(ops.create ? [names.classes.create] : []), ...(ops.list ? [`${Name}ListQuery`, names.classes.page] : []), ...(ops.create || ops.list || ops.get || ops.update ? [names.classes.read] : []), ...(ops.update ? [names.classes.update] : [])];
  serviceImports.add(modules.schema, ...schemaNames);
  const references = refs.map((field) => {
    const parent = parentOf(field, parents);
    const variable = field.name;
    return [
      `${INDENT.repeat(2)}${variable} = values.get(${pyString(field.name)})`,
      refCondition(variable, `self.${plural}.${parent.names.snake}_exists`, INDENT.repeat(2), L),
      layout(group(`raise ${names.classes.invalid}`, [pyString(field.name), variable, `f"${parent.names.pascal} {${variable}} not found."`]), INDENT.repeat(3), L),
    ].join('\n');
  });
  const method = (methodName: string, params: string[], returns: string) => layout(group(`def ${methodName}`, ['self', ...params], ` -> ${returns}:`), INDENT, L);
  const verbs = [ops.create && 'creates', ops.list && 'lists', ops.get && 'reads', ops.update && 'updates', ops.delete && 'deletes'].filter((verb): verb is string => typeof verb === 'string');
  const verbText = `${verbs.length > 1 ? `${verbs.slice(0, -1).join(', ')} and ${verbs.at(-1)}` : verbs[0]!} ${plural}`;
  const serviceDoc = `${verbText.charAt(0).toUpperCase()}${verbText.slice(1)}${ops.writes || ops.delete ? ', committing each change' : ''}.`;
  const serviceLines = {
    create: method('create', [`data: ${names.classes.create}`], names.classes.read),
    createObject: layout(group(`${name} = ${Name}`, ['**values', 'created_at=self.now', 'updated_at=self.now']), INDENT.repeat(2), L),
    listPage: method('list_page', [`query: ${Name}ListQuery`], names.classes.page),
    items: comprehension('items=', group(`${names.classes.read}.model_validate`, [name]), `for ${name} in ${plural}`, ',', INDENT.repeat(3), L),
    total: `${INDENT.repeat(3)}total=self.${plural}.count(${filters.length > 0 ? 'query' : ''}),`,
    get: method('get', [`${idParam}: ${idPy}`], names.classes.read),
    update: method('update', [`${idParam}: ${idPy}`, `data: ${names.classes.update}`], names.classes.read),
    delete: method('delete', [`${idParam}: ${idPy}`], 'None'),
    deleteConflict: layout(group(`raise ${names.classes.conflict}`, [`f"${Name} {${idParam}} is still referenced and cannot be deleted."`], ' from error'), INDENT.repeat(3), L),
    getPrivate: method('_get', [`${idParam}: ${idPy}`], Name),
    getStored: layout(group(`${name} = self.${plural}.get`, [idParam]), INDENT.repeat(2), L),
    getRead: layout(group(`return ${names.classes.read}.model_validate`, [`self._get(${idParam})`]), INDENT.repeat(2), L),
    notFoundInit: layout(group('super().__init__', [`f"${Name} {${idParam}} not found."`]), INDENT.repeat(2), L),
    takenReturn: parenthesized('return', `f"${a === 'an' ? 'An' : 'A'} ${name} with this {' and '.join(fields)} already exists."`, INDENT, L),
    conflictReturn: parenthesized('return', pyString(`The ${name} conflicts with another one; nothing was saved.`), INDENT.repeat(2), L),
    checkReferences: method('_check_references', ['values: Mapping[str, Any]'], 'None'),
    checkUnique: method('_check_unique', ['values: Mapping[str, Any]', ...excludeParam], 'None'),
    commit: method('_commit', ['values: Mapping[str, Any]', ...excludeParam], 'None'),
    init: layout(group('def __init__', ['self', 'session: Session', ...(ops.clock ? ['now: datetime'] : [])], ' -> None:'), INDENT, L),
    docText: serviceDoc,
    conflictDoc: !(ops.writes || ops.delete) ? undefined : docLine(ops.writes && ops.delete ? `The change would break a unique field, or delete ${a} ${name} still in use.` : ops.writes ? 'The change would break a unique field.' : `Other records still refer to the ${name}.`, INDENT),
  };

  // dependencies.py: the session through the layer's `SessionDep`, or spelled out from the backend's dependency.
  const dependencyImports = new Imports(style).add('typing', 'Annotated').add('fastapi', 'Depends').add(modules.service, `${Name}Service`);
  if (ops.clock) dependencyImports.add('datetime', 'datetime').add(modules.service, 'utc_now');
  if (database.sessionDep) dependencyImports.add(database.sessionDep, 'SessionDep');
  else dependencyImports.add('sqlalchemy.orm', 'Session').add(database.session.module, database.session.name);
  const sessionParam = database.sessionDep ? 'session: SessionDep' : 'session: Annotated[Session, Depends(get_session)]';
  const dependencyLines = {
    imports: dependencyImports.toString(),
    // A signature, whose lone parameter keeps a trailing comma when it does not fit.
    def: prettyDef(`get_${name}_service`, [sessionParam, ...(ops.clock ? ['now: Annotated[datetime, Depends(utc_now)]'] : [])], `${Name}Service`, '', L),
    alias: layout(group(`${Name}ServiceDep = Annotated`, [`${Name}Service`, `Depends(get_${name}_service)`], '', '[', ']'), '', L),
  };

  // router.py
  const routerImports = new Imports(style)
    .module('math')
    .add('collections.abc', 'Callable', 'Coroutine')
    .add('typing', 'Any')
    .add('fastapi', 'APIRouter', 'Request', 'Response')
    .add('fastapi.exceptions', 'RequestValidationError')
    .add('fastapi.routing', 'APIRoute')
    .add(modules.dependencies, `${Name}ServiceDep`);
  for (const dependency of routeDependencies) routerImports.add('fastapi', 'Depends').add(dependency.module, dependency.name);
  if (ops.create) routerImports.add(modules.schema, names.classes.create);
  if (ops.errors) routerImports.add('fastapi', 'HTTPException').add(modules.schema, names.classes.error);
  if (ops.list) routerImports.add('typing', 'Annotated').add('fastapi', 'Query').add(modules.schema, `${Name}ListQuery`, names.classes.page);
  if (ops.create || ops.get || ops.update) routerImports.add(modules.schema, names.classes.read);
  if (ops.update) routerImports.add(modules.schema, names.classes.update);
  if (ops.writes || ops.delete) routerImports.add(modules.service, names.classes.conflict);
  if (ops.byId) routerImports.add(modules.service, names.classes.notFound);
  if (ops.byId && resource.id === 'uuid') routerImports.add('uuid', 'UUID');
  if (maxId) routerImports.add('typing', 'Annotated').add('fastapi', 'Path').add(modules.schema, 'MAX_ID');
  if (refs.length > 0 && ops.writes) routerImports.add('fastapi.encoders', 'jsonable_encoder').add(modules.service, names.classes.invalid);
  const idArg = `${idParam}: ${resource.id === 'uuid' ? 'UUID' : `${Name}Id`}`;
  const service = `service: ${Name}ServiceDep`;
  const responses = (codes: [number, string][]) => nested(group('responses=', codes.map(([code, text]) => group(`${code}: `, [`"model": ${names.classes.error}`, `"description": ${pyString(text)}`], '', '{', '}')), '', '{', '}'), INDENT, ',', L);
  const notFoundText = `No ${name} has this id.`;
  const routerLines = {
    createResponses: responses([[409, 'A unique field is taken.']]),
    getResponses: responses([[404, notFoundText]]),
    updateResponses: responses([
      [404, notFoundText],
      [409, 'A unique field is taken.'],
    ]),
    deleteResponses: responses([
      [404, notFoundText],
      [409, 'Other records still refer to it.'],
    ]),
    createDef: layout(group(`def create_${name}`, [`data: ${names.classes.create}`, service], ` -> ${names.classes.read}:`), '', L),
    listDef: layout(group(`def list_${plural}`, [`query: Annotated[${Name}ListQuery, Query()]`, service], ` -> ${names.classes.page}:`), '', L),
    listDoc: docLine(filters.length > 0 ? `Answer with one page of the ${plural} that match the filters, oldest first, and their total.` : `Answer with one page of ${plural}, oldest first, and how many there are.`, INDENT),
    getDef: layout(group(`def get_${name}`, [idArg, service], ` -> ${names.classes.read}:`), '', L),
    updateDef: layout(group(`def update_${name}`, [idArg, `data: ${names.classes.update}`, service], ` -> ${names.classes.read}:`), '', L),
    updateDoc: docLine(`Change the fields the body sends, keep the others; answer with the ${name}.`, INDENT),
    deleteDef: layout(group(`def delete_${name}`, [idArg, service], ' -> None:'), '', L),
    routerLine: layout(group('router = APIRouter', [...routerArgs(mount), ...dependenciesArg(routeDependencies), `route_class=${Name}Route`]), '', L),
    routeHandler: prettyDef('get_route_handler', ['self'], 'Callable[[Request], Coroutine[Any, Any, Response]]', INDENT, L),
    reraise: layout(group('raise RequestValidationError', ['json_safe(error.errors())', 'body=error.body'], ' from error'), INDENT.repeat(4), L),
    idAlias: maxId ? `${Name}Id = Annotated[int, Path(ge=1, le=MAX_ID)]` : undefined,
  };

  // the migration
  const created = createTableDocs(resource, parents);
  const migration = {
    revision: '',
    downRevision: '',
    /** What the revision creates, on one line per call: its id is derived from it. */
    signature: tableSignature(created),
    createTable: layout(created.table, INDENT, L),
    createIndexes: created.createIndexes.map((doc) => layout(doc, INDENT, L)),
    dropIndexes: [...created.indexed].reverse().map((field) => layout(group('op.drop_index', [group('op.f', [pyString(indexNameIn(field, plural))]), `table_name=${pyString(plural)}`]), INDENT, L)),
  };

  // the tests
  const tests = resourceTests({ resource, feature: feature.names.snake, tag: mount.expectedTag, routeDependencies, urlLiteral: (path) => testUrl(mount, '', path), ...(mount.prefixFrom && { urlFrom: { module: mount.prefixFrom.module, name: mount.prefixFrom.name } }), url, style, ops, modules, parents, modelModuleOf, urlOf });

  return {
    tests,
    migration,
    feature: feature.names.snake,
    name,
    Name,
    plural,
    a,
    An: a === 'an' ? 'An' : 'A',
    url,
    idParam,
    idPy,
    uuid: resource.id === 'uuid',
    classes: { ...names.classes, listQuery: `${Name}ListQuery`, repository: `${Name}Repository`, service: `${Name}Service` },
    ops,
    hasRefs: refs.length > 0 && ops.writes,
    hasFilters: filters.length > 0,
    pagination: resource.pagination,
    schemas: { imports: schemaImports.toString(), constants, aliases, aliasComment, create: createLines, update: updateLines, rejectNull, read: readLines, query: queryLines },
    models: { imports: modelImports.toString(), id: idLines, columns: columnLines, tableArgs },
    repository: { imports: repoImports.toString(), uniqueColumns, filterLines, filtersDef, getDef, addDef, deleteDef, pageDef, pageStatement, countStatement, takenDef, existsMethods },
    services: { imports: serviceImports.toString(), references, ...(utc !== undefined && { utc }), ...serviceLines },
    dependencies: dependencyLines,
    router: { imports: routerImports.toString(), ...routerLines },
  };
}

export type ResourceContext = ReturnType<typeof resourceContext>;

/**
 * `__table_args__` naming each constraint the migration names, for a base whose naming
 * convention is the backend's own: the primary key, each unique field and each index of a
 * filterable one (foreign keys are named where they are declared). A one-item tuple keeps its
 * comma; a tuple that does not fit has one item per line, as ruff lays it out.
 */
function namedConstraints(resource: Resource, imports: Imports, lineLength: number): string {
  const { table } = resource.names;
  imports.add('sqlalchemy', 'PrimaryKeyConstraint');
  const items: Doc[] = [group('PrimaryKeyConstraint', ['"id"', `name=${pyString(resource.names.primaryKey)}`])];
  for (const field of resource.fields.filter((candidate) => candidate.unique)) {
    imports.add('sqlalchemy', 'UniqueConstraint');
    items.push(group('UniqueConstraint', [pyString(field.name), `name=${pyString(field.uniqueName ?? `uq_${table}_${field.name}`)}`]));
  }
  for (const field of resource.fields.filter((candidate) => candidate.filterable && !candidate.unique)) {
    imports.add('sqlalchemy', 'Index');
    items.push(group('Index', [pyString(field.indexName ?? `ix_${table}_${field.name}`), pyString(field.name)]));
  }
  const comment = `${INDENT}# Named as the migration names them, whatever the base's naming convention.`;
  const head = `${INDENT}__table_args__ = (`;
  const oneLine = `${head}${items.map(flat).join(', ')}${items.length === 1 ? ',' : ''})`;
  if (oneLine.length <= lineLength) return `${comment}\n${oneLine}`;
  return [comment, head, ...items.map((item) => pretty(item, INDENT.repeat(2), ',', lineLength)), `${INDENT})`].join('\n');
}

/** `items=[element for x in xs],` as ruff breaks a comprehension that does not fit. */
function comprehension(head: string, element: Doc, clause: string, suffix: string, indent: string, lineLength: number): string {
  const oneLine = `${indent}${head}[${flat(element)} ${clause}]${suffix}`;
  if (oneLine.length <= lineLength) return oneLine;
  const inner = `${indent}${INDENT}`;
  const middle = `${inner}${flat(element)} ${clause}`;
  const body = middle.length <= lineLength ? [middle] : [layout(element, inner, lineLength), `${inner}${clause}`];
  return [`${indent}${head}[`, ...body, `${indent}]${suffix}`].join('\n');
}

export type { ResourceLayout, Blueprint };
