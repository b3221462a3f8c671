import type { Blueprint, ResourceLayout } from '../blueprint/presets.js';
import { invalidInput } from '../errors.js';
import type { Feature } from '../payload/payload.js';
import { INT64_MAX, INT64_MIN, type DecimalField, type EnumField, type FieldValue, type RefField, type Resource, type ResourceField } from '../payload/resource.js';
import { deriveNames } from '../payload/naming.js';
import { annotated, defWithOne, parenthesized, group, layout, nested, type Doc } from '../python/layout.js';
import { pyDocstring, pyString } from '../python/literal.js';
import { Imports } from './resource-imports.js';
import { sampleValue } from './resource-samples.js';

/** A parent resource a ref field names, as the child's code needs it. */
export interface ParentResource {
  feature: string;
  resource: Resource;
}

export type ParentLookup = (feature: string) => Resource | undefined;

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

/** A payload value of a field as a typed Python literal (a default, an example, a sample). */
export function valueLiteral(field: ResourceField, value: FieldValue, imports: Imports): string {
  if (value === null) return 'None';
  switch (field.type) {
    case 'bool':
      return value ? 'True' : 'False';
    case 'int':
    case 'float':
      return String(value);
    case 'decimal':
      imports.add('decimal', 'Decimal');
      // A whole number as an int: ruff (FURB157) refuses `Decimal("10")`.
      return /^-?\d+$/.test(String(value)) ? `Decimal(${String(value)})` : `Decimal(${pyString(String(value))})`;
    case 'date': {
      imports.add('datetime', 'date');
      const [y, m, d] = String(value).split('-').map(Number);
      return `date(${y}, ${m}, ${d})`;
    }
    case 'datetime': {
      imports.add('datetime', 'datetime', 'timezone');
      const moment = new Date(String(value).replace(/(\.\d{3})\d*/, '$1'));
      const micro = /\.(\d+)/.exec(String(value))?.[1]?.padEnd(6, '0').slice(0, 6);
      const parts = [moment.getUTCFullYear(), moment.getUTCMonth() + 1, moment.getUTCDate(), moment.getUTCHours(), moment.getUTCMinutes(), moment.getUTCSeconds()];
      if (micro && Number(micro) !== 0) parts.push(Number(micro));
      return `datetime(${parts.join(', ')}, tzinfo=timezone.utc)`;
    }
    case 'uuid':
      imports.add('uuid', 'UUID');
      return `UUID(${pyString(String(value))})`;
    default:
      return pyString(String(value));
  }
}

/**
 * A literal `valueLiteral` wrote, after `prefix` (`default=`), as a group when it is a call
 * (`UUID("...")`, `date(2020, 5, 17)`), whose arguments ruff may break onto lines of their own.
 * Their strings hold no `, `: a uuid's or a decimal's text.
 */
function literalDoc(prefix: string, literal: string): Doc {
  const call = /^(UUID|Decimal|date|datetime)\((.*)\)$/.exec(literal);
  return call ? group(`${prefix}${call[1]}`, call[2]!.split(', ')) : `${prefix}${literal}`;
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

function parentOf(field: RefField, parents: ParentLookup): Resource {
  const parent = parents(field.feature);
  if (!parent) throw new Error(`the parent resource of ${field.name} (${field.feature}) is not known`);
  return parent;
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
    if (LOCAL_NAMES.has(local)) throw invalidInput(`"${resource.names.snake}" would name a variable ${local}, which the generated code uses for something else; choose another resource name.`, { path: 'resource.name' });
  }
  if (feature.names.snake.length === 0) throw new Error('unreachable');
}

export interface ResourceModules {
  schema: string;
  service: string;
  router: string;
  model: string;
  repository: string;
  dependencies: string;
  db: string;
  app: string;
}

/** Everything the resource templates print that depends on the payload, laid out for ruff. */
export function resourceContext(feature: Feature, resource: Resource, modules: ResourceModules, url: string, lineLength: number, parents: ParentLookup, modelModuleOf: (feature: string) => string) {
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
  const L = lineLength;
  const docLine = (text: string, indent = '') => `${indent}${pyDocstring(text, indent, L)}`;

  // schemas.py
  const schemaImports = new Imports(L).add('datetime', 'datetime').add('pydantic', 'BaseModel', 'ConfigDict', 'Field');
  const schemaType = (field: ResourceField) => {
    if (field.type === 'datetime') {
      schemaImports.add('pydantic', 'AwareDatetime');
      return 'AwareDatetime';
    }
    return aliasOf(field) ?? plainType(field, parents, schemaImports);
  };
  // A read-only field's bounds hold for what the server stores, not for a body: no alias, but for an enum (its type).
  const aliased = (field: ResourceField) => hasAlias(field) && (field.type === 'enum' || !field.readOnly || field.filterable);
  const aliases = fields.filter(aliased).map((field) => {
    const alias = aliasOf(field)!;
    if (field.type === 'enum') {
      schemaImports.add('typing', 'Literal');
      return layout(group(`${alias} = Literal`, (field as EnumField).values.map(pyString), '', '[', ']'), '', L);
    }
    schemaImports.add('typing', 'Annotated');
    const base = plainType(field, parents, schemaImports);
    return layout(group(`${alias} = Annotated`, [base, group('Field', constraintArgs(field, schemaImports))], '', '[', ']'), '', L);
  });
  const documented = (field: ResourceField, extra: Doc[]) => {
    const args: Doc[] = [...extra];
    if (field.description !== undefined) args.push(`description=${pyString(field.description)}`);
    if (field.example !== undefined) args.push(group('examples=', [literalDoc('', valueLiteral(field, field.example, schemaImports))], '', '[', ']'));
    return args;
  };
  const hasDocs = (field: ResourceField) => field.description !== undefined || field.example !== undefined;
  const createLines = writable.map((field) => {
    const type = `${schemaType(field)}${field.nullable ? ' | None' : ''}`;
    const defaultValue = field.required ? undefined : field.hasDefault ? valueLiteral(field, field.default ?? null, schemaImports) : 'None';
    if (!hasDocs(field)) return annotated(field.name, type, defaultValue === undefined ? undefined : literalDoc('', defaultValue), INDENT, L);
    return annotated(field.name, type, group('Field', documented(field, defaultValue === undefined ? [] : [literalDoc('default=', defaultValue)])), INDENT, L);
  });
  const updateLines = writable.map((field) => {
    const type = `${schemaType(field)} | None`;
    if (!hasDocs(field)) return annotated(field.name, type, 'None', INDENT, L);
    return annotated(field.name, type, group('Field', documented(field, ['default=None'])), INDENT, L);
  });
  const notNull = writable.filter((field) => !field.nullable);
  if (notNull.length > 0) schemaImports.add('pydantic', 'field_validator');
  const rejectNull = notNull.length === 0 ? undefined : layout(group('@field_validator', [...notNull.map((field) => pyString(field.name)), 'mode="before"']), INDENT, L);
  const readLines = readable.map((field) => {
    const type = `${field.type === 'enum' ? aliasOf(field)! : plainType(field, parents, schemaImports)}${field.nullable ? ' | None' : ''}`;
    if (!hasDocs(field)) return annotated(field.name, type, undefined, INDENT, L);
    return annotated(field.name, type, group('Field', documented(field, [])), INDENT, L);
  });
  const queryLines = filters.map((field) => annotated(field.name, `${schemaType(field)} | None`, 'None', INDENT, L));
  if (resource.id === 'uuid') schemaImports.add('uuid', 'UUID');

  // models.py
  const modelImports = new Imports(L).add('datetime', 'datetime').add('sqlalchemy.orm', 'Mapped', 'mapped_column').add(`${modules.db}.base`, 'Base', 'UTCDateTime');
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
        return group('Enum', [`*get_args(${aliasOf(field)})`, 'native_enum=False']);
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
      ? (modelImports.add('uuid', 'UUID', 'uuid4'), sa('Uuid'), [layout('id: Mapped[UUID] = mapped_column(Uuid, primary_key=True, default=uuid4)', INDENT, L)])
      : (sa('BigInteger', 'Integer'),
        [`${INDENT}# BIGINT, but INTEGER on SQLite, which numbers rows only for INTEGER primary keys.`, layout(group('id: Mapped[int] = mapped_column', ['BigInteger().with_variant(Integer(), "sqlite")', 'primary_key=True']), INDENT, L)]);
  const columnLines = fields.map((field) => {
    const type = `${field.type === 'enum' ? aliasOf(field)! : plainType(field, parents, modelImports)}${field.nullable ? ' | None' : ''}`;
    const args: Doc[] = [columnType(field)];
    if (field.type === 'ref') {
      sa('ForeignKey');
      args.push(`ForeignKey(${pyString(`${parentOf(field, parents).names.table}.id`)})`);
    }
    if (field.unique) args.push('unique=True');
    if (field.hasDefault) args.push(literalDoc('default=', valueLiteral(field, field.default ?? null, modelImports)));
    if (field.filterable && !field.unique) args.push('index=True');
    return annotated(field.name, `Mapped[${type}]`, group('mapped_column', args), INDENT, L);
  });

  // repository.py
  const idImports = (imports: Imports) => (resource.id === 'uuid' ? imports.add('uuid', 'UUID') : imports);
  const repoImports = idImports(new Imports(L))
    .add('collections.abc', 'Mapping', 'Sequence')
    .add('typing', 'Any')
    .add('sqlalchemy', 'func', 'select')
    .add('sqlalchemy.orm', 'InstrumentedAttribute', 'Session')
    .add(modules.model, Name)
    .add(modules.schema, `${Name}ListQuery`);
  if (filters.length > 0) repoImports.add('sqlalchemy', 'ColumnElement');
  const refParents = [...new Map(refs.map((field) => [field.feature, parentOf(field, parents)])).entries()].map(([parentFeature, parent]) => ({ feature: parentFeature, resource: parent }));
  for (const { feature: parentFeature, resource: parent } of refParents) {
    repoImports.add(modelModuleOf(parentFeature), parent.names.pascal);
    if (parent.id === 'uuid') repoImports.add('uuid', 'UUID');
  }
  const uniqueColumns = uniques.map((field) => `${INDENT}${pyString(field.name)}: ${Name}.${field.name},`);
  const filterLines = filters.flatMap((field) => {
    const [column, value] = [`${Name}.${field.name}`, `query.${field.name}`];
    const append = layout(group('conditions.append', [`${column} == ${value}`]), INDENT.repeat(2), L);
    // A comparison too long for its line breaks before the operator.
    const fits = append.split('\n').every((line) => line.length <= L);
    const split = [`${INDENT.repeat(2)}conditions.append(`, `${INDENT.repeat(3)}${column}`, `${INDENT.repeat(3)}== ${value}`, `${INDENT.repeat(2)})`].join('\n');
    return [`${INDENT}if query.${field.name} is not None:`, fits ? append : split];
  });
  const fluent = (links: string[]) => [`${INDENT.repeat(2)}statement = (`, ...links.map((link) => `${INDENT.repeat(3)}${link}`), `${INDENT.repeat(2)})`].join('\n');
  const where = filters.length > 0 ? ['.where(*filters(query))'] : [];
  const pageStatement = fluent([`select(${Name})`, ...where, `.order_by(${Name}.created_at, ${Name}.id)`, '.offset(query.offset)', '.limit(query.limit)']);
  const countLinks = ['select(func.count())', `.select_from(${Name})`, ...where];
  const countFlat = `${INDENT.repeat(2)}statement = ${countLinks.join('')}`;
  // A chain that fits in parentheses stays on one line there; a longer one has a line per call.
  const countParenthesized = [`${INDENT.repeat(2)}statement = (`, `${INDENT.repeat(3)}${countLinks.join('')}`, `${INDENT.repeat(2)})`].join('\n');
  const countStatement = countFlat.length <= L ? countFlat : `${INDENT.repeat(3)}${countLinks.join('')}`.length <= L ? countParenthesized : fluent(countLinks);
  const excludeParams = (extra = '') => ['self', `values: Mapping[str, Any]`, `exclude_id: ${idPy} | None = None`].map((param) => param + extra);
  const pageDef = layout(group('def page', ['self', `query: ${Name}ListQuery`], ` -> Sequence[${Name}]:`), INDENT, L);
  const takenDef = layout(group('def taken_fields', excludeParams(), ' -> list[str]:'), INDENT, L);
  const existsMethods = refParents.map(({ resource: parent }) => {
    const parentId = `${parent.names.snake}_id`;
    const parentIdPy = parent.id === 'uuid' ? 'UUID' : 'int';
    return [
      layout(group(`def ${parent.names.snake}_exists`, ['self', `${parentId}: ${parentIdPy}`], ' -> bool:'), INDENT, L),
      // ruff splits the last brackets first; the names are short enough for the rest to fit.
      layout(group(`statement = select(${parent.names.pascal}.id).where`, [`${parent.names.pascal}.id == ${parentId}`]), INDENT.repeat(2), L),
      `${INDENT.repeat(2)}return self.session.scalar(statement) is not None`,
    ].join('\n');
  });

  // services.py
  const serviceImports = idImports(new Imports(L))
    .add('collections.abc', 'Mapping')
    .add('datetime', 'datetime', 'timezone')
    .add('typing', 'Any')
    .add('sqlalchemy.exc', 'IntegrityError')
    .add('sqlalchemy.orm', 'Session')
    .add(modules.model, Name)
    .add(modules.repository, `${Name}Repository`)
    .add(modules.schema, names.classes.create, `${Name}ListQuery`, names.classes.page, names.classes.read, names.classes.update);
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
  const serviceLines = {
    create: method('create', [`data: ${names.classes.create}`], names.classes.read),
    createObject: layout(group(`${name} = ${Name}`, ['**values', 'created_at=self.now', 'updated_at=self.now']), INDENT.repeat(2), L),
    listPage: method('list_page', [`query: ${Name}ListQuery`], names.classes.page),
    items: comprehension('items=', `${names.classes.read}.model_validate(${name})`, `for ${name} in ${plural}`, ',', INDENT.repeat(3), L),
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
    checkUnique: method('_check_unique', ['values: Mapping[str, Any]', `exclude_id: ${idPy} | None = None`], 'None'),
    commit: method('_commit', ['values: Mapping[str, Any]', `exclude_id: ${idPy} | None = None`], 'None'),
    classDoc: docLine(`Creates, lists, reads, updates and deletes ${plural}, committing each change.\n\n${INDENT}\`now\` is the time of the request: it stamps \`created_at\` and \`updated_at\`.`, INDENT),
  };

  // dependencies.py
  const dependencyLines = {
    def: layout(group(`def get_${name}_service`, ['session: SessionDep', 'now: Annotated[datetime, Depends(utc_now)]'], ` -> ${Name}Service:`), '', L),
    alias: layout(group(`${Name}ServiceDep = Annotated`, [`${Name}Service`, `Depends(get_${name}_service)`], '', '[', ']'), '', L),
  };

  // router.py
  const routerImports = new Imports(L)
    .module('math')
    .add('collections.abc', 'Callable', 'Coroutine')
    .add('typing', 'Annotated', 'Any')
    .add('fastapi', 'APIRouter', 'HTTPException', 'Query', 'Request', 'Response')
    .add('fastapi.exceptions', 'RequestValidationError')
    .add('fastapi.routing', 'APIRoute')
    .add(modules.dependencies, `${Name}ServiceDep`)
    .add(modules.schema, names.classes.create, names.classes.error, `${Name}ListQuery`, names.classes.page, names.classes.read, names.classes.update)
    .add(modules.service, names.classes.conflict, names.classes.notFound);
  if (resource.id === 'uuid') routerImports.add('uuid', 'UUID');
  else routerImports.add('fastapi', 'Path').add(modules.schema, 'MAX_ID');
  if (refs.length > 0) routerImports.add('fastapi.encoders', 'jsonable_encoder').add(modules.service, names.classes.invalid);
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
    routerLine: layout(group('router = APIRouter', [`tags=[${pyString(feature.names.title)}]`, `route_class=${Name}Route`]), '', L),
    idAlias: resource.id === 'int' ? `${Name}Id = Annotated[int, Path(ge=1, le=MAX_ID)]` : undefined,
  };

  // the migration
  const saType = (field: ResourceField): Doc => {
    switch (field.type) {
      case 'str':
        return `sa.String(length=${field.maxLength})`;
      case 'decimal':
        return `sa.Numeric(precision=${field.maxDigits}, scale=${field.decimalPlaces})`;
      case 'enum':
        return group('sa.Enum', [...field.values.map(pyString), 'native_enum=False']);
      case 'ref':
        return parentOf(field, parents).id === 'uuid' ? 'sa.Uuid()' : 'sa.BigInteger()';
      default:
        return { text: 'sa.Text()', int: 'sa.BigInteger()', float: 'sa.Double()', bool: 'sa.Boolean()', date: 'sa.Date()', datetime: 'sa.DateTime(timezone=True)', uuid: 'sa.Uuid()' }[field.type];
    }
  };
  const saColumn = (column: string, type: Doc, nullable: boolean) => group('sa.Column', [pyString(column), type, `nullable=${nullable ? 'True' : 'False'}`]);
  const opName = (constraint: string) => group('name=op.f', [pyString(constraint)]);
  const tableItems = [
    pyString(plural),
    saColumn('id', resource.id === 'uuid' ? 'sa.Uuid()' : 'sa.BigInteger().with_variant(sa.Integer(), "sqlite")', false),
    ...fields.map((field) => saColumn(field.name, saType(field), field.nullable)),
    saColumn('created_at', 'sa.DateTime(timezone=True)', false),
    saColumn('updated_at', 'sa.DateTime(timezone=True)', false),
    group('sa.PrimaryKeyConstraint', ['"id"', opName(names.primaryKey)]),
    ...refs.map((field) => group('sa.ForeignKeyConstraint', [`[${pyString(field.name)}]`, `[${pyString(`${parentOf(field, parents).names.table}.id`)}]`, opName(parentOf(field, parents) && field.parent ? field.parent.foreignKey : `fk_${plural}_${field.name}_${parentOf(field, parents).names.table}`)])),
    ...uniques.map((field) => group('sa.UniqueConstraint', [pyString(field.name), opName(field.uniqueName ?? `uq_${plural}_${field.name}`)])),
  ];
  const indexed = filters.filter((field) => !field.unique);
  const indexNameOf = (field: ResourceField) => field.indexName ?? `ix_${plural}_${field.name}`;
  const migration = {
    revision: '',
    downRevision: '',
    createTable: layout(group('op.create_table', tableItems), INDENT, L),
    createIndexes: indexed.map((field) => layout(group('op.create_index', [group('op.f', [pyString(indexNameOf(field))]), pyString(plural), `[${pyString(field.name)}]`]), INDENT, L)),
    dropIndexes: indexed.reverse().map((field) => layout(group('op.drop_index', [group('op.f', [pyString(indexNameOf(field))]), `table_name=${pyString(plural)}`]), INDENT, L)),
  };

  // the tests
  const testImports = new Imports(L)
    .module('os')
    .add('collections.abc', 'Iterator')
    .add('datetime', 'datetime', 'timedelta', 'timezone')
    .add('typing', 'Any')
    .module('pytest')
    .add('fastapi.testclient', 'TestClient')
    .add('sqlalchemy', 'Engine')
    .add('sqlalchemy.orm', 'Session')
    .add('sqlalchemy.pool', 'StaticPool')
    .add(modules.service, 'utc_now')
    .add(`${modules.db}.session`, 'create_db_engine', 'get_session')
    .add(`${modules.db}.tables`, 'metadata')
    .add(modules.app, 'app');
  const jsonLiteral = (value: FieldValue) => (value === null ? 'None' : typeof value === 'boolean' ? (value ? 'True' : 'False') : typeof value === 'number' ? String(value) : pyString(String(value)));
  // The create bodies hold every required field, and each unique one whose default would give the
  // two records the tests store the same value.
  const collides = (field: ResourceField) => field.unique && !field.required && field.hasDefault && field.default !== null;
  const bodyFields = writable.filter((field) => field.required || collides(field));
  // A stored parent for each ref of a body, built through its model; another one for `other_body`
  // where the ref is unique; and so on up through the parents' own refs: a fixture each, parents first.
  interface Stored {
    feature: string;
    resource: Resource;
    /** 0 for `<name>_id`, 1 for `other_<name>_id`, whose unique fields differ. */
    n: number;
  }
  const storedName = ({ resource: parent, n }: Stored) => `${n === 0 ? '' : 'other_'}${parent.names.snake}_id`;
  const storedOf = (field: RefField, n: number): Stored => ({ feature: field.feature, resource: parentOf(field, parents), n: field.unique ? n : 0 });
  /** A stored record's id as a fixture gives it: an int, or a uuid's text (what a JSON body holds). */
  const idFixtureType = (parent: Resource) => (parent.id === 'uuid' ? 'str' : 'int');
  const argOf = (stored: Stored) => `${storedName(stored)}: ${idFixtureType(stored.resource)}`;
  const refsOf = (fieldList: readonly ResourceField[], n: number) => [...new Map(fieldList.flatMap((field) => (field.type === 'ref' ? [storedOf(field, n)] : [])).map((stored) => [storedName(stored), stored])).values()];
  const storedList: Stored[] = [];
  const store = (stored: Stored, path: readonly string[]) => {
    if (storedList.some((item) => storedName(item) === storedName(stored))) return;
    if (path.includes(stored.feature)) throw invalidInput(`the tests cannot store a record of "${stored.feature}": its required refs lead back to it (${[...path, stored.feature].join(' -> ')}).`, { path: 'resource.fields' });
    for (const parentStored of refsOf(stored.resource.fields.filter((field) => field.required || collides(field)), stored.n)) store(parentStored, [...path, stored.feature]);
    storedList.push(stored);
  };
  const bodyRefs = refsOf(bodyFields, 0);
  const otherBodyRefs = refsOf(bodyFields, 1);
  for (const stored of [...bodyRefs, ...otherBodyRefs]) store(stored, []);
  const parentFixtures = storedList.map((stored) => {
    const { feature: parentFeature, resource: parent, n } = stored;
    testImports.add(modelModuleOf(parentFeature), parent.names.pascal);
    const fieldList = parent.fields.filter((field) => field.required || collides(field));
    const args = fieldList.map((field) => {
      if (field.type !== 'ref') return literalDoc(`${field.name}=`, valueLiteral(field, sampleValue(field, field.unique ? n : 0), testImports));
      const grandparent = storedOf(field, n);
      if (grandparent.resource.id !== 'uuid') return `${field.name}=${storedName(grandparent)}`;
      testImports.add('uuid', 'UUID');
      return `${field.name}=UUID(${storedName(grandparent)})`;
    });
    return {
      name: parent.names.snake,
      doc: `${n === 0 ? 'The id of a stored' : 'The id of another stored'} ${parent.names.snake}, built through its model.`,
      def: layout(group(`def ${storedName(stored)}`, ['database_engine: Engine', ...refsOf(fieldList, n).map(argOf)], ` -> ${idFixtureType(parent)}:`), '', L),
      construct: layout(group(`${parent.names.snake} = ${parent.names.pascal}`, [...args, 'created_at=NOW', 'updated_at=NOW']), INDENT.repeat(2), L),
      id: parent.id === 'uuid' ? `str(${parent.names.snake}.id)` : `${parent.names.snake}.id`,
    };
  });
  const bodyLine = (field: ResourceField, n: number) => `${INDENT.repeat(2)}${pyString(field.name)}: ${field.type === 'ref' ? storedName(storedOf(field, n)) : jsonLiteral(sentValue(field, sampleValue(field, field.unique ? n : 0)))},`;
  const tests = {
    imports: testImports.toString(),
    parents: parentFixtures,
    bodyDef: layout(group('def body', bodyRefs.map(argOf), ' -> dict[str, Any]:'), '', L),
    otherBodyDef: layout(group('def other_body', otherBodyRefs.map(argOf), ' -> dict[str, Any]:'), '', L),
    body: bodyFields.map((field) => bodyLine(field, 0)),
    otherBody: bodyFields.map((field) => bodyLine(field, 1)),
    required: bodyFields.filter((field) => field.required).map((field) => pyString(field.name)),
    writeOnly: bodyFields.filter((field) => field.writeOnly).map((field) => pyString(field.name)),
    collide: bodyFields.some(collides),
    // A default page of one record shows the first only.
    pageOfOne: resource.pagination.defaultLimit < 2,
    notFoundDef: defWithOne(`def test_get_answers_404_for_a_missing_${name}`, 'client: TestClient', ' -> None:', '', L),
    operationIds: (
      [
        ['paths[URL]["post"]', 'create'],
        ['paths[URL]["get"]', 'list'],
        ['item["get"]', 'get'],
        ['item["patch"]', 'update'],
        ['item["delete"]', 'delete'],
      ] as const
    ).map(([operation, suffix]) => parenthesized('assert', `${operation}["operationId"] == ${pyString(`${feature.names.snake}_${suffix}`)}`, INDENT, L)),
    notNull: notNull.map((field) => pyString(field.name)),
    uniques: uniques
      .filter((field) => bodyFields.includes(field))
      .map((field) => ({ name: field.name, post: layout(group('response = client.post', ['URL', group('json=', ['**other_body', group(`${pyString(field.name)}: body`, [pyString(field.name)], '', '[', ']')], '', '{', '}')]), INDENT, L) })),
  };

  return {
    tests,
    migration,
    sessionModule: `${modules.db}.session`,
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
    hasRefs: refs.length > 0,
    hasFilters: filters.length > 0,
    pagination: resource.pagination,
    schemas: { imports: schemaImports.toString(), aliases, aliasesShared: fields.some((field) => aliased(field) && field.filterable), create: createLines, update: updateLines, rejectNull, read: readLines, query: queryLines },
    models: { imports: modelImports.toString(), id: idLines, columns: columnLines },
    repository: { imports: repoImports.toString(), pageDef, uniqueColumns, filterLines, pageStatement, countStatement, takenDef, existsMethods },
    services: { imports: serviceImports.toString(), references, ...serviceLines },
    dependencies: dependencyLines,
    router: { imports: routerImports.toString(), ...routerLines },
  };
}

export type ResourceContext = ReturnType<typeof resourceContext>;

/**
 * A value as a create body sends it, in the form the API answers with, so that the tests can
 * compare the two: a datetime in UTC with Pydantic's six-digit fraction (none for whole seconds),
 * a decimal with all its places as its column stores it.
 */
export function sentValue(field: ResourceField, value: FieldValue): FieldValue {
  if (typeof value === 'number' && field.type === 'decimal') return decimalText(String(value), field.decimalPlaces);
  if (typeof value === 'string' && field.type === 'decimal') return decimalText(value, field.decimalPlaces);
  if (typeof value === 'string' && field.type === 'datetime') return utcText(value);
  return value;
}

/** `1.5` with 2 places is `1.50`; `-0` is `0.00`... as Python's Decimal prints the stored value. */
function decimalText(text: string, places: number): string {
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) return Number(text).toFixed(places);
  const [, sign, whole, fraction = ''] = match;
  return `${sign}${whole}${places > 0 ? `.${fraction.padEnd(places, '0')}` : ''}`;
}

/** An ISO 8601 datetime with an offset, as Pydantic writes it once stored in UTC. */
function utcText(text: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|([+-])(\d{2}):(\d{2}))$/.exec(text);
  if (!match) return text;
  const [, year, month, day, hour, minute, second, fraction = '', , sign, offsetHours, offsetMinutes] = match;
  const moment = new Date(0);
  moment.setUTCFullYear(Number(year), Number(month) - 1, Number(day));
  moment.setUTCHours(Number(hour), Number(minute), Number(second), 0);
  const offset = sign === undefined ? 0 : (sign === '-' ? -1 : 1) * (Number(offsetHours) * 60 + Number(offsetMinutes));
  moment.setTime(moment.getTime() - offset * 60_000);
  const micro = fraction.padEnd(6, '0').slice(0, 6);
  const pad = (value: number, width = 2) => String(value).padStart(width, '0');
  const date = `${pad(moment.getUTCFullYear(), 4)}-${pad(moment.getUTCMonth() + 1)}-${pad(moment.getUTCDate())}`;
  const time = `${pad(moment.getUTCHours())}:${pad(moment.getUTCMinutes())}:${pad(moment.getUTCSeconds())}`;
  return `${date}T${time}${Number(micro) === 0 ? '' : `.${micro}`}Z`;
}

/**
 * `if value is not None and not exists(value):` as ruff breaks it: the call's brackets when what
 * comes before them fits, else the condition in parentheses, a line for each operand.
 */
function refCondition(variable: string, exists: string, indent: string, lineLength: number): string {
  const oneLine = `${indent}if ${variable} is not None and not ${exists}(${variable}):`;
  if (oneLine.length <= lineLength) return oneLine;
  const inner = `${indent}${INDENT}`;
  const head = `${indent}if ${variable} is not None and not ${exists}(`;
  if (head.length <= lineLength) return [head, `${inner}${variable}`, `${indent}):`].join('\n');
  return [`${indent}if (`, `${inner}${variable} is not None`, layout(group(`and not ${exists}`, [variable]), inner, lineLength), `${indent}):`].join('\n');
}

/** `items=[element for x in xs],` as ruff breaks a comprehension that does not fit. */
function comprehension(head: string, element: string, clause: string, suffix: string, indent: string, lineLength: number): string {
  const oneLine = `${indent}${head}[${element} ${clause}]${suffix}`;
  if (oneLine.length <= lineLength) return oneLine;
  const inner = `${indent}${INDENT}`;
  const middle = `${inner}${element} ${clause}`;
  const body = middle.length <= lineLength ? [middle] : [`${inner}${element}`, `${inner}${clause}`];
  return [`${indent}${head}[`, ...body, `${indent}]${suffix}`].join('\n');
}

export type { ResourceLayout, Blueprint };
