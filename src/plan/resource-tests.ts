import { invalidInput } from '../errors.js';
import { deriveNames } from '../payload/naming.js';
import type { FieldValue, RefField, Resource, ResourceField } from '../payload/resource.js';
import { formatStringAssignment } from '../python/format.js';
import { group, pretty, prettyDef, type Doc, type Group } from '../python/layout.js';
import { pyString } from '../python/literal.js';
import { Imports } from './resource-imports.js';
import type { CodeStyle } from '../python/code-style.js';
import type { DatabaseImports } from './database-imports.js';
import { parentOf, type ParentLookup as Lookup } from './resource-parents.js';
import { jsonLiteral, literalDoc, nullError, pythonLiteral, storedJson, testValues, underivable, violations } from './resource-samples.js';

/**
 * What the generated test module of a resource prints that depends on the payload: its imports
 * and constants, the rows it stores (through the API when the resource has `create`, else
 * through the model), and every statement whose layout depends on names or values, laid out for
 * `ruff format` at the target's line length (the template's own lines stay under 79 columns).
 *
 * Parents are stored through their models, with each field they need (the required ones, and the
 * unique ones with a default, which would collide) given a valid value: a parent whose own
 * required refs name a grandparent stores that first, and so on up.
 */


export interface TestInputs {
  resource: Resource;
  feature: string;
  /** The tag the resource's operations carry. */
  tag: string;
  /** The dependencies every route has (`route_dependencies`): the tests override them and check the router declares them. */
  routeDependencies: readonly { module: string; name: string }[];
  url: string;
  style: CodeStyle;
  ops: { create: boolean; list: boolean; get: boolean; update: boolean; delete: boolean; byId: boolean; writes: boolean; clock: boolean; read: boolean };
  modules: { model: string; repository: string; schema: string; service: string; router: string; database: DatabaseImports; app: string; appVar: string };
  parents: Lookup;
  modelModuleOf: (feature: string) => string;
  urlOf: (feature: string) => string;
  /** With `urlFrom`: a feature's URL from its path under the API prefix (see mount.ts testUrl). */
  urlLiteral: (path: string) => string;
  /** The settings name that literal reads, to import. */
  urlFrom?: { module: string; name: string };
}

const INDENT = '    ';
/** At most this many rows: enough to page, filter and collide, few enough to read. */
const MAX_ROWS = 3;
const MAX_ID = '2**63 - 1';
const MISSING_UUID = '"00000000-0000-4000-8000-000000000000"';

/** The fields a row stored through the model must be given: required ones, and unique ones with a default (two rows would share it). */
const constructed = (resource: Resource) => resource.fields.filter((field) => field.required || (field.unique && field.hasDefault && field.default !== null));

function needValues(field: ResourceField, values: readonly FieldValue[], count: number): FieldValue[] {
  if (values.length === 0) {
    throw underivable(field, 'a valid value', 0);
  }
  return values.slice(0, count);
}

/** How many rows of a resource can be stored with distinct unique values, at most `most`. */
function capacity(fields: readonly ResourceField[], parents: Lookup, most = MAX_ROWS, depth = 0): number {
  let rows = most;
  for (const field of fields) {
    if (!field.unique) continue;
    if (field.type === 'ref') rows = Math.min(rows, depth > 8 ? 1 : capacity(constructed(parentOf(field, parents)), parents, most, depth + 1));
    else rows = Math.min(rows, Math.max(1, testValues(field).length));
  }
  return rows;
}

export function resourceTests(inputs: TestInputs) {
  const { resource, ops, modules, parents, url } = inputs;
  const L = inputs.style.lineLength;
  const { names } = resource;
  const Name = names.pascal;
  const name = names.snake;
  const idParam = `${name}_id`;
  const imports = new Imports(inputs.style)
    .module('os')
    .add('collections.abc', 'Iterator')
    .add('datetime', 'datetime')
    .add('typing', 'Any')
    .module('pytest')
    .add('fastapi.testclient', 'TestClient')
    .add('sqlalchemy', 'Engine')
    .add('sqlalchemy.orm', 'Session')
    .add('sqlalchemy.pool', 'StaticPool')
    .add(modules.database.engine, 'create_db_engine')
    .add(modules.database.session.module, modules.database.session.name)
    // The tests call it `app` whatever the backend names it.
    .add(modules.app, modules.appVar === 'app' ? 'app' : `${modules.appVar} as app`);
  // The registry's metadata holds every table; without one, the base's does, as the app imports every model.
  const { metadata, base } = modules.database;
  const tables = metadata ?? base;
  imports.add(tables.module, tables.name);
  if (ops.clock) imports.add(modules.service, 'utc_now').add('datetime', 'timedelta');
  for (const dependency of inputs.routeDependencies) imports.add(dependency.module, dependency.name).add(modules.router, 'router');
  const stmt = (doc: Doc, indent = INDENT) => pretty(doc, indent, '', L);
  const def = (test: string, params: string[], returns = 'None') => prettyDef(test, params, returns, '', L);
  const call = (callee: string, args: Doc[]) => group(callee, args);
  const list = (head: string, items: Doc[]) => group(head, items, '', '[', ']');
  const dict = (head: string, items: Doc[]) => group(head, items, '', '{', '}');
  const param = (args: Doc[], id: string) => call('pytest.param', [...args, `id=${pyString(id)}`]);
  const parametrize = (argNames: string[], cases: Doc[]) => stmt(call('@pytest.mark.parametrize', [argNames.length === 1 ? pyString(argNames[0]!) : group('', argNames.map(pyString)), list('', cases)]), '');

  const fields = resource.fields;
  const writable = fields.filter((field) => !field.readOnly);
  const readable = fields.filter((field) => !field.writeOnly);
  // A read-only ref is never set (it stays null): its parent plays no part in the tests.
  const refs = fields.filter((field): field is RefField => field.type === 'ref' && !field.readOnly);

  // Parents and their ancestors, stored through their models: one `add_<name>` each, grandparents first.
  const ancestors = new Map<string, Resource>();
  const visit = (resourceOf: Resource, depth: number) => {
    for (const field of constructed(resourceOf).filter((f): f is RefField => f.type === 'ref')) {
      const parent = parentOf(field, parents);
      if (depth > 8) throw new Error('refs nest too deep');
      visit(parent, depth + 1);
      ancestors.set(field.feature, parent);
    }
  };
  for (const field of refs) {
    const parent = parentOf(field, parents);
    visit(parent, 0);
    ancestors.set(field.feature, parent);
  }
  const idType = (of: Resource) => (of.id === 'uuid' ? 'UUID' : 'int');
  if ([...ancestors.values()].some((ancestor) => ancestor.id === 'uuid')) imports.add('uuid', 'UUID');
  // Each ancestor row gets the next number of its feature, so that no two share a unique value.
  const used = new Map<string, number>();
  const addCall = (feature: string, parent: Resource): Group => {
    const number = used.get(feature) ?? 0;
    used.set(feature, number + 1);
    if (number >= capacity(constructed(parent), parents, Number.MAX_SAFE_INTEGER)) {
      throw invalidInput(`the generated tests need ${number + 1} ${parent.names.table} with distinct unique values, and only ${number} could be derived; give their unique fields examples.`, { path: 'resource.fields' });
    }
    const args = constructed(parent).map((field): Doc => {
      if (field.type === 'ref') {
        const inner = addCall(field.feature, parentOf(field, parents));
        return group(`${field.name}=${inner.head}`, inner.items);
      }
      const values = needValues(field, testValues(field), Number.MAX_SAFE_INTEGER);
      return literalDoc(`${field.name}=`, pythonLiteral(field, values[number % values.length]!, imports));
    });
    return call(`add_${parent.names.snake}`, ['engine', ...args]);
  };
  const ancestorHelpers = [...ancestors.entries()].map(([feature, ancestor]) => {
    imports.add(inputs.modelModuleOf(feature), ancestor.names.pascal);
    const snake = ancestor.names.snake;
    return {
      def: prettyDef(`add_${snake}`, ['engine: Engine', '**fields: Any'], idType(ancestor), '', L),
      doc: `Store ${/^[aeiou]/.test(snake) ? 'an' : 'a'} ${snake} through its model; answer with its id.`,
      construct: stmt(call(`${snake} = ${ancestor.names.pascal}`, ['**fields', 'created_at=NOW', 'updated_at=NOW']), INDENT.repeat(2)),
      snake,
    };
  });

  // The rows the tests store, as create bodies (JSON) and, without `create`, as model values.
  const uniqueRefRows = refs.filter((field) => field.unique).map((field) => capacity(constructed(parentOf(field, parents)), parents));
  const readOnlyClash = fields.some((field) => field.readOnly && field.unique && field.hasDefault && field.default !== null);
  const rowCount = readOnlyClash ? 1 : Math.min(capacity(writable.filter((field) => field.type !== 'ref'), parents), ...uniqueRefRows);
  const directParents = [...new Map(refs.map((field) => [field.feature, parentOf(field, parents)])).entries()];
  const parentRows = new Map(directParents.map(([feature, parent]) => [feature, Math.min(MAX_ROWS, capacity(constructed(parent), parents))]));
  const parentFixtures = directParents.map(([feature, parent]) => {
    const fixture = `${parent.names.snake}_ids`;
    const calls = Array.from({ length: parentRows.get(feature)! }, () => {
      const doc = addCall(feature, parent);
      // The fixture's engine is `database_engine`.
      return rename(doc, 'engine', 'database_engine');
    });
    return {
      def: prettyDef(fixture, ['database_engine: Engine'], `list[${idType(parent)}]`, '', L),
      doc: `Stored ${parent.names.table}, built through their model, for the ${names.table} to refer to.`,
      body: stmt(list('return ', calls)),
    };
  });
  const parentFixtureParams = directParents.map(([, parent]) => `${parent.names.snake}_ids: list[${idType(parent)}]`);
  const parentId = (field: RefField, row: number, json: boolean) => {
    const parent = parentOf(field, parents);
    const id = `${parent.names.snake}_ids[${row % parentRows.get(field.feature)!}]`;
    return json && parent.id === 'uuid' ? `str(${id})` : id;
  };
  // A field's value in row `row`: its samples in turn; optional fields without any are left out,
  // unless unique: the unique tests send each unique field.
  const valuesOf = new Map(
    writable.filter((field) => field.type !== 'ref').map((field) => [field.name, field.required || field.unique ? needValues(field, testValues(field), MAX_ROWS) : testValues(field).slice(0, MAX_ROWS)]),
  );
  const valueAt = (field: ResourceField, row: number): FieldValue | undefined => {
    const values = valuesOf.get(field.name) ?? [];
    return values.length === 0 ? undefined : values[row % values.length];
  };
  const sent = writable.filter((field) => field.type === 'ref' || valueAt(field, 0) !== undefined);
  const rowDoc = (row: number, json: boolean) =>
    dict(
      '',
      sent.map((field) => literalDoc(`${pyString(field.name)}: `, field.type === 'ref' ? parentId(field, row, json) : json ? jsonLiteral(valueAt(field, row)!) : pythonLiteral(field, valueAt(field, row)!, imports))),
    );
  const rowsReturn = (json: boolean) => stmt(list('return ', Array.from({ length: rowCount }, (_, row) => rowDoc(row, json))));
  const bodies = ops.writes ? { def: def('bodies', parentFixtureParams, 'list[dict[str, Any]]'), body: rowsReturn(true) } : undefined;
  const rows = !ops.create ? { def: def('rows', parentFixtureParams, 'list[dict[str, Any]]'), body: rowsReturn(false) } : undefined;

  // Storing rows: through the API with `create`, else through the model.
  const storeParams = ops.create ? ['client: TestClient', 'bodies: list[dict[str, Any]]'] : ['client: TestClient', 'database_engine: Engine', 'rows: list[dict[str, Any]]'];
  const store = (row: number) => (ops.create ? `create(client, bodies[${row}])` : `add(database_engine, rows[${row}])`);
  const storeAll = ops.create ? 'stored = create_all(client, bodies)' : 'stored = add_all(database_engine, rows)';
  const withBodies = (params: string[]) => (ops.create || params.includes('bodies: list[dict[str, Any]]') ? params : [...params, 'bodies: list[dict[str, Any]]']);
  const needsCount = ops.writes || refs.some((field) => parentOf(field, parents).operations.includes('delete'));
  if (needsCount) imports.add('sqlalchemy', 'func', 'select');
  if (!ops.create || needsCount) imports.add(modules.model, Name);
  if (!ops.create && ops.read) imports.add(modules.schema, names.classes.read);
  const helpers = {
    add: !ops.create
      ? {
          def: prettyDef('add', ['engine: Engine', 'row: dict[str, Any]', 'moment: datetime = NOW'], 'dict[str, Any]', '', L),
          construct: stmt(call(`stored = ${Name}`, ['**row', 'created_at=moment', 'updated_at=moment']), INDENT.repeat(2)),
          answer: ops.read ? [`${INDENT.repeat(2)}read = ${names.classes.read}.model_validate(stored)`, `${INDENT.repeat(2)}return read.model_dump(mode="json")`].join('\n') : `${INDENT.repeat(2)}return {"id": ${resource.id === 'uuid' ? 'str(stored.id)' : 'stored.id'}}`,
        }
      : undefined,
    createAll: def('create_all', ['client: TestClient', 'bodies: list[dict[str, Any]]'], 'list[dict[str, Any]]'),
    addAll: def('add_all', ['engine: Engine', 'rows: list[dict[str, Any]]'], 'list[dict[str, Any]]'),
    count: `${INDENT}statement = select(func.count()).select_from(${Name})`,
  };
  // create_all / add_all: the list's tests store every row, a minute apart.
  const needsAll = ops.list;
  if (needsAll && !ops.create) imports.add('datetime', 'timedelta');

  // Expected answers: what the API gives back for a value it stored.
  const storedLiteral = (field: ResourceField, value: FieldValue) => jsonLiteral(storedJson(field, value));
  const idExpected = resource.id === 'uuid' ? 'stored["id"]' : '1';
  const defaultOf = (field: ResourceField) => (field.hasDefault ? storedLiteral(field, field.default ?? null) : 'None');
  const answerDoc = (head: string, sentFields: readonly ResourceField[], row: number) =>
    dict(head, [
      `"id": ${idExpected}`,
      ...readable.map((field) => {
        const value = sentFields.includes(field) ? (field.type === 'ref' ? `bodies[${row}][${pyString(field.name)}]` : storedLiteral(field, valueAt(field, row)!)) : defaultOf(field);
        return `${pyString(field.name)}: ${value}`;
      }),
      '"created_at": "2026-01-02T03:04:05Z"',
      '"updated_at": "2026-01-02T03:04:05Z"',
    ]);
  const required = writable.filter((field) => field.required);
  const withDefaults = readable.filter((field) => !required.includes(field));

  // Constants.
  // A URL built from the settings value the API is mounted under, or the whole path as before.
  const urlConstant = (name: string, feature: string, whole: string) => (inputs.urlFrom ? `${name} = ${inputs.urlLiteral(`/${deriveNames(feature).kebab}/`)}` : formatStringAssignment(name, whole, L));
  if (inputs.urlFrom) imports.add(inputs.urlFrom.module, inputs.urlFrom.name);
  const constants: string[] = [urlConstant('URL', inputs.feature, url), `NOW = datetime(2026, 1, 2, 3, 4, 5, tzinfo=${imports.utc()})`];
  if (ops.clock) constants.push(`LATER = datetime(2026, 1, 3, 4, 5, 6, tzinfo=${imports.utc()})`);
  if (ops.byId) constants.push(...(resource.id === 'uuid' ? [`MISSING_ID = ${MISSING_UUID}`] : [`MAX_ID = ${MAX_ID}`, 'MISSING_ID = MAX_ID']));
  if (ops.list) constants.push(`MAX_OFFSET = ${MAX_ID}`);
  const deletable = refs.filter((field) => parentOf(field, parents).operations.includes('delete'));
  const parentUrls = [...new Set(deletable.map((field) => field.feature))];
  const urlName = (feature: string) => `${deriveNames(feature).snake.toUpperCase()}_URL`;
  for (const feature of parentUrls) constants.push(urlConstant(urlName(feature), feature, inputs.urlOf(feature)));
  const uniques = writable.filter((field) => field.unique);
  const notNull = writable.filter((field) => !field.nullable);
  if (ops.create && required.length > 0) constants.push(stmt(list('REQUIRED_FIELDS = ', required.map((field) => pyString(field.name))), ''));
  if (ops.writes && uniques.length > 0) constants.push(stmt(list('UNIQUE_FIELDS = ', uniques.map((field) => pyString(field.name))), ''));
  if (ops.writes && notNull.length > 0) {
    constants.push(
      '# The error type of null for each field that cannot be null, in a create body.',
      stmt(dict('NOT_NULL_FIELDS = ', notNull.map((field) => `${pyString(field.name)}: ${pyString(nullError(field, field.type === 'ref' ? parentOf(field, parents).id : undefined))}`)), ''),
    );
  }
  const refCase = (field: RefField) => (parentOf(field, parents).id === 'uuid' ? { value: '"not-a-uuid"', type: 'uuid_parsing' } : { value: '"x"', type: 'int_parsing' });
  const invalid = [
    ...writable.flatMap((field): { field: ResourceField; value: string; type: string; constraint: string }[] =>
      field.type === 'ref' ? [{ field, ...refCase(field), constraint: 'not an id' }] : violations(field).map((violation) => ({ field, ...violation })),
    ),
    ...fields.filter((field) => field.readOnly).map((field) => ({ field, value: jsonLiteral(valueAt(field, 0) ?? testValues(field)[0] ?? null), type: 'extra_forbidden', constraint: 'read-only' })),
  ].map(({ field, value, type, constraint }) => param([pyString(field.name), value, pyString(type)], `${field.name} ${constraint}`));
  invalid.push(param(['"id"', resource.id === 'uuid' ? MISSING_UUID : '1', '"extra_forbidden"'], 'id read-only'), param(['"created_at"', '"2026-01-01T00:00:00Z"', '"extra_forbidden"'], 'created_at read-only'));
  if (ops.writes) constants.push("# Each constraint of a field a client sends, and a value that breaks it alone.", stmt(list('INVALID_VALUES = ', invalid), ''));
  const missingOf = (field: RefField) => (parentOf(field, parents).id === 'uuid' ? MISSING_UUID : MAX_ID);
  if (ops.writes && refs.length > 0) {
    constants.push(
      '# Each reference, an id no parent has, the name the 422 gives it, and its check.',
      stmt(list('REFERENCES = ', refs.map((field) => param([pyString(field.name), missingOf(field), pyString(parentOf(field, parents).names.pascal), pyString(`${parentOf(field, parents).names.snake}_exists`)], field.name))), ''),
    );
    // The foreign key's test (create's) bypasses the repository's check.
    if (ops.create) imports.add(modules.repository, `${Name}Repository`);
  }
  if (ops.writes && uniques.length > 0 && rowCount >= 2) imports.add(modules.repository, `${Name}Repository`);

  // Statements.
  const detail = (text: string) => stmt(dict('assert response.json() == ', [`"detail": ${text}`]));
  const itemPath = `URL + ${pyString(`{${idParam}}`)}`;
  const s = {
    store0: `${INDENT}stored = ${store(0)}`,
    storeCall0: `${INDENT}${store(0)}`,
    store1: `${INDENT}stored = ${store(1)}`,
    storeAll: `${INDENT}${storeAll}`,
    takenDetail: detail(`f"${/^[aeiou]/.test(name) ? 'An' : 'A'} ${name} with this {field} already exists."`),
    conflictDetail: detail(pyString(`The ${name} conflicts with another one; nothing was saved.`)),
    notFoundDetail: detail(`f"${Name} {MISSING_ID} not found."`),
    noPrecheck: stmt(call('monkeypatch.setattr', [`${Name}Repository`, '"taken_fields"', 'lambda *_: []'])),
    parentCheck: stmt(call('monkeypatch.setattr', [`${Name}Repository`, 'exists', 'lambda *_: True'])),
    emptyPage: stmt(dict('assert response.json() == ', ['"items": []', '"total": 0', `"limit": ${resource.pagination.defaultLimit}`, '"offset": 0'])),
    tag: stmt(`assert ${pyString(inputs.tag)} in operation["tags"]`),
    patchTaken: stmt(call('response = client.patch', ['f"{URL}{stored[\'id\']}"', 'json={field: bodies[0][field]}'])),
    source: `${INDENT}value = ${ops.writes ? 'bodies' : 'stored'}[0][field]`,
    nullLocation: stmt(list('assert error_locations(response.json()) == ', [group('', ['["body", field]', '"value_error"'])])),
    parentIdOf: `${INDENT}parent_id = ${ops.create ? 'bodies' : 'rows'}[0][field]`,
  };

  // Create.
  const writeOnly = fields.filter((field) => field.writeOnly && sent.includes(field));
  const create = ops.create
    ? {
        expected: stmt(answerDoc('assert stored == ', sent, 0)),
        defaults: withDefaults.length > 0 ? { body: required.length > 0 ? `${INDENT}body = {field: bodies[0][field] for field in REQUIRED_FIELDS}` : `${INDENT}body: dict[str, Any] = {}`, expected: stmt(answerDoc('assert stored == ', required, 0)) } : undefined,
        writeOnly:
          writeOnly.length > 0
            ? {
                absent: writeOnly.map((field) => stmt(`assert ${pyString(field.name)} not in stored`)),
                get: stmt(call(`row = session.get`, [Name, resource.id === 'uuid' ? 'UUID(stored["id"])' : 'stored["id"]']), INDENT.repeat(2)),
                checks: writeOnly.map((field) =>
                  comparison(`row.${field.name}`, field.type === 'bool' ? 'is' : '==', field.type === 'ref' ? `${parentOf(field, parents).names.snake}_ids[0]` : pythonLiteral(field, valueAt(field, 0)!, imports), INDENT.repeat(2), L),
                ),
                params: [...storeParams, 'database_engine: Engine', ...[...new Set(writeOnly.filter((field): field is RefField => field.type === 'ref').map((field) => `${parentOf(field, parents).names.snake}_ids: list[${idType(parentOf(field, parents))}]`))]],
              }
            : undefined,
        nonFinite: (() => {
          const numeric = writable.filter((field) => field.type === 'float' || field.type === 'decimal');
          const other = writable.find((field) => field.type !== 'float' && field.type !== 'decimal');
          const cases = [...numeric.flatMap((field) => ['math.nan', 'math.inf', '-math.inf'].map((number) => group('', [pyString(field.name), number]))), ...(other ? [group('', [pyString(other.name), 'math.nan'])] : [])];
          if (cases.length === 0) return undefined;
          imports.module('json').module('math');
          return { decorator: parametrize(['field', 'number'], cases) };
        })(),
      }
    : undefined;
  if (create?.writeOnly && resource.id === 'uuid') imports.add('uuid', 'UUID');
  if (resource.id === 'uuid' && ops.create) imports.add('uuid', 'UUID');

  // List.
  const filters = fields.filter((field) => field.filterable);
  const sameValue = (field: ResourceField, row: number) => {
    if (field.type === 'ref') return row % parentRows.get(field.feature)! === 0;
    const [first, other] = [valueAt(field, 0), valueAt(field, row)];
    return JSON.stringify(storedJson(field, first ?? null)) === JSON.stringify(storedJson(field, other ?? null));
  };
  const listed = ops.list
    ? {
        filters: parametrize(
          ['field', 'matches'],
          filters
            .filter((field) => sent.includes(field) && (ops.writes || !field.writeOnly))
            .map((field) => param([pyString(field.name), list('', Array.from({ length: rowCount }, (_, row) => row).filter((row) => sameValue(field, row)).map(String))], field.name)),
        ),
        hasFilters: filters.some((field) => sent.includes(field) && (ops.writes || !field.writeOnly)) && rowCount >= 1,
        paging: parametrize(['params'], ['{"limit": 1}', `{"limit": ${resource.pagination.maxLimit}}`, '{"offset": MAX_OFFSET}']),
        invalid: parametrize(['params', 'loc', 'error_type'], [
          param(['{"limit": 0}', '["query", "limit"]', '"greater_than_equal"'], 'limit 0'),
          param([`{"limit": ${resource.pagination.maxLimit + 1}}`, '["query", "limit"]', '"less_than_equal"'], 'limit over max'),
          param(['{"offset": -1}', '["query", "offset"]', '"greater_than_equal"'], 'offset negative'),
          param(['{"offset": MAX_OFFSET + 1}', '["query", "offset"]', '"less_than_equal"'], 'offset over max'),
          ...(() => {
            const unknown = ['unknown', ...Array.from({ length: fields.length }, (_, n) => `unknown_${n + 1}`)].find((candidate) => !fields.some((field) => field.name === candidate))!;
            return [param([`{${pyString(unknown)}: "x"}`, `["query", ${pyString(unknown)}]`, '"extra_forbidden"'], 'unknown parameter')];
          })(),
          ...filters.flatMap((field) => {
            const bad = field.type === 'ref' ? refCase(field) : field.type === 'int' ? { value: '"x"', type: 'int_parsing' } : violations(field)[0];
            return bad ? [param([`{${pyString(field.name)}: ${bad.value}}`, `["query", ${pyString(field.name)}]`, pyString(bad.type)], field.name)] : [];
          }),
        ]),
        names: stmt(list('assert names == ', ['"limit"', '"offset"', ...filters.map((field) => pyString(field.name))])),
      }
    : undefined;

  // Get, update, delete: the id in the path.
  const firstById = ops.get ? 'get' : ops.update ? 'patch' : 'delete';
  const malformed = ops.byId
    ? {
        decorator: parametrize(
          ['item_id', 'error_type'],
          resource.id === 'uuid'
            ? [param(['"not-a-uuid"', '"uuid_parsing"'], 'text')]
            : [param(['"abc"', '"int_parsing"'], 'text'), param(['"1.5"', '"int_parsing"'], 'fraction'), param(['"0"', '"greater_than_equal"'], 'zero'), param(['str(MAX_ID + 1)', '"less_than_equal"'], 'beyond 64 bits')],
        ),
        request: stmt(call(`response = client.${firstById}`, ['f"{URL}{item_id}"', ...(firstById === 'patch' ? ['json={}'] : [])])),
        locations: stmt(list('assert error_locations(response.json()) == ', [group('', [`["path", ${pyString(idParam)}]`, 'error_type'])])),
        def: def(`test_${firstById === 'patch' ? 'update' : firstById}_answers_422_for_a_malformed_id`, ['client: TestClient', 'item_id: str', 'error_type: str']),
      }
    : undefined;
  const patchField = writable.find((field) => field.type !== 'ref' && !field.writeOnly && valueAt(field, 1) !== undefined) ?? writable.find((field) => field.type === 'ref' && !field.writeOnly);
  const patchValue = (field: ResourceField) => (field.type === 'ref' ? `bodies[${rowCount > 1 ? 1 : 0}][${pyString(field.name)}]` : jsonLiteral(valueAt(field, 1)!));
  const patchExpected = (field: ResourceField) => (field.type === 'ref' ? patchValue(field) : storedLiteral(field, valueAt(field, 1)!));
  const nullable = writable.filter((field) => field.nullable);
  const update = ops.update
    ? {
        change: patchField
          ? {
              request: stmt(call('response = client.patch', ['f"{URL}{stored[\'id\']}"', dict('json=', [literalDoc(`${pyString(patchField.name)}: `, patchValue(patchField))])])),
              expected: stmt(dict('assert response.json() == ', ['**stored', `${pyString(patchField.name)}: ${patchExpected(patchField)}`, '"updated_at": "2026-01-03T04:05:06Z"'])),
            }
          : undefined,
        clears:
          nullable.length > 0
            ? {
                request: stmt(call('response = client.patch', ['f"{URL}{stored[\'id\']}"', dict('json=', nullable.map((field) => `${pyString(field.name)}: None`))])),
                expected: stmt(dict('assert response.json() == ', ['**stored', ...nullable.filter((field) => !field.writeOnly).map((field) => `${pyString(field.name)}: None`)])),
              }
            : undefined,
      }
    : undefined;

  // OpenAPI.
  const itemUrl = (op: string) => (['get', 'update', 'delete'].includes(op) ? itemPath : 'URL');
  const documented: [string, string, string, string[]][] = [
    ['create', 'post', 'create', ['201', '409', '422']],
    ['list', 'get', 'list', ['200', '422']],
    ['get', 'get', 'get', ['200', '404', '422']],
    ['update', 'patch', 'update', ['200', '404', '409', '422']],
    ['delete', 'delete', 'delete', ['204', '404', '409', '422']],
  ];
  const present = documented.filter(([op]) => resource.operations.includes(op as never));
  const readOnly = fields.filter((field) => field.readOnly);
  const openapi = {
    operations: parametrize(
      ['method', 'path', 'operation_id', 'statuses'],
      present.map(([op, method, suffix, statuses]) => group('', [pyString(method), itemUrl(op), pyString(`${inputs.feature}_${suffix}`), group('', statuses.map(pyString), '', '{', '}')])),
    ),
    collection: stmt(setOf('assert set(paths.get(URL, {})) == ', present.filter(([op]) => itemUrl(op) === 'URL').map(([, method]) => method))),
    item: stmt(setOf(`assert set(paths.get(${itemPath}, {})) == `, present.filter(([op]) => itemUrl(op) !== 'URL').map(([, method]) => method))),
    apart: [
      ...(writable.length > 0 ? readOnly.flatMap((field) => [...(ops.create ? [names.classes.create] : []), ...(ops.update ? [names.classes.update] : [])].map((component) => comparison(pyString(field.name), 'not in', `schemas[${pyString(component)}]["properties"]`, INDENT, L))) : []),
      ...(ops.read && readable.length > 0 ? fields.filter((field) => field.writeOnly).map((field) => comparison(pyString(field.name), 'not in', `schemas[${pyString(names.classes.read)}]["properties"]`, INDENT, L)) : []),
    ],
  };

  // References.
  const parentDeletion =
    deletable.length > 0
      ? parametrize(
          ['url', 'field', 'parent'],
          deletable.map((field) => param([urlName(field.feature), pyString(field.name), pyString(parentOf(field, parents).names.pascal)], field.name)),
        )
      : undefined;

  // Each reference test is parametrized by every column of REFERENCES, and takes them as its
  // parameters: those it leaves unused named with a leading underscore, as ruff's ARG rules ask.
  const overReferences = (uses: { parent: boolean; exists: boolean }) => {
    const columns = ['field', 'missing', `${uses.parent ? '' : '_'}parent`, `${uses.exists ? '' : '_'}exists`];
    return { decorator: stmt(call('@pytest.mark.parametrize', [group('', columns.map(pyString)), 'REFERENCES']), ''), params: columns.map((column, i) => `${column}: ${i === 1 ? 'Any' : 'str'}`) };
  };
  const references = {
    createMissingParent: overReferences({ parent: true, exists: false }),
    createForeignKey: overReferences({ parent: false, exists: true }),
    updateMissingParent: overReferences({ parent: false, exists: false }),
  };
  const referenceCases = Object.fromEntries(Object.entries(references).map(([test, { decorator }]) => [test, decorator])) as Record<keyof typeof references, string>;

  const defs = {
    create201: def(`test_create_answers_201_with_the_stored_${name}`, storeParams.slice(0, 2)),
    createWriteOnly: create?.writeOnly ? def('test_create_stores_the_write_only_fields', create.writeOnly.params) : '',
    // With no required field the body is empty, and the bodies are not asked for.
    createDefaults: def('test_create_fills_in_the_defaults', required.length > 0 ? storeParams : ['client: TestClient']),
    createNull: def('test_create_refuses_null', [...storeParams, 'field: str', 'error_type: str']),
    createInvalid: def('test_create_refuses_invalid_values', [...storeParams, 'field: str', 'value: Any', 'error_type: str']),
    createNonFinite: def('test_create_answers_422_to_non_finite_json_numbers', [...storeParams, 'field: str', 'number: float']),
    createTaken: def('test_create_answers_409_on_a_taken_unique_field', [...storeParams, 'database_engine: Engine', 'field: str']),
    createRace: def('test_create_answers_409_when_the_constraint_catches_a_race', [...storeParams, 'database_engine: Engine', 'monkeypatch: pytest.MonkeyPatch', 'field: str']),
    createMissingParent: def('test_create_answers_422_for_a_missing_parent', [...storeParams, ...references.createMissingParent.params]),
    createForeignKey: def('test_the_database_enforces_each_reference', [...storeParams, 'database_engine: Engine', 'monkeypatch: pytest.MonkeyPatch', ...references.createForeignKey.params]),
    listPages: def('test_list_pages_oldest_first_and_counts_all', storeParams),
    listFilters: def('test_list_filters_by_equality', [...(ops.writes && !ops.create ? withBodies(storeParams) : storeParams), 'field: str', 'matches: list[int]']),
    listPaging: def('test_list_accepts_paging_within_bounds', ['client: TestClient', 'params: dict[str, int]']),
    listInvalid: def('test_list_refuses_invalid_parameters', ['client: TestClient', 'params: dict[str, Any]', 'loc: list[str]', 'error_type: str']),
    getStored: def(`test_get_answers_the_${name}`, storeParams),
    // A reference is patched to another stored parent, taken from the bodies.
    updateChange: def('test_update_changes_only_the_fields_sent', patchField?.type === 'ref' ? withBodies(storeParams) : storeParams),
    updateEmpty: def('test_update_with_an_empty_body_changes_nothing', storeParams),
    updateClears: def('test_update_clears_nullable_fields', storeParams),
    updateNull: def('test_update_refuses_null', [...storeParams, 'field: str']),
    updateInvalid: def('test_update_refuses_invalid_values', [...storeParams, 'field: str', 'value: Any', 'error_type: str']),
    updateTaken: def('test_update_answers_409_on_a_taken_unique_field', [...withBodies(storeParams), 'field: str']),
    updateRace: def('test_update_answers_409_when_the_constraint_catches_a_race', [...withBodies(storeParams), 'monkeypatch: pytest.MonkeyPatch', 'field: str']),
    updateKeeps: def('test_update_may_keep_its_own_unique_values', withBodies(storeParams)),
    updateMissingParent: def('test_update_answers_422_for_a_missing_parent', [...storeParams, ...references.updateMissingParent.params]),
    deleteGone: def(`test_delete_answers_204_then_the_${name}_is_gone`, storeParams),
    parentDeletion: def('test_a_referenced_parent_cannot_be_deleted', [...new Set([...storeParams, 'database_engine: Engine']), 'url: str', 'field: str', 'parent: str']),
    openapi: def('test_openapi_documents_each_operation', ['method: str', 'path: str', 'operation_id: str', 'statuses: set[str]']),
  };

  return {
    imports: imports.toString(),
    metadata: metadata ? 'metadata' : 'Base.metadata',
    constants,
    ancestors: ancestorHelpers,
    parentFixtures,
    bodies,
    rows,
    helpers,
    twoRows: rowCount >= 2,
    needsCount,
    needsAll,
    defs,
    referenceCases,
    s,
    create,
    listed,
    malformed,
    update,
    openapi,
    parentDeletion,
    required: ops.create && required.length > 0,
    uniques: ops.writes && uniques.length > 0,
    notNull: ops.writes && notNull.length > 0,
    refs: ops.writes && refs.length > 0,
  };
}

/**
 * `assert left op right` as ruff lays it out: on one line; a call on the right split at its
 * brackets; else the comparison in parentheses, on one line there or split before the operator.
 */
function comparison(left: string, operator: string, right: string, indent: string, lineLength: number): string {
  const head = `assert ${left} ${operator} `;
  const doc = literalDoc(head, right);
  if (`${indent}${head}${right}`.length <= lineLength || typeof doc !== 'string') return pretty(doc, indent, '', lineLength);
  const inner = `${indent}${INDENT}`;
  const joined = `${inner}${left} ${operator} ${right}`;
  const body = joined.length <= lineLength ? [joined] : [`${inner}${left}`, `${inner}${operator} ${right}`];
  return [`${indent}assert (`, ...body, `${indent})`].join('\n');
}

/** `head{"a", "b"}`, or `head set()` when empty. */
const setOf = (head: string, items: string[]): Doc => (items.length === 0 ? `${head}set()` : group(head, items.map(pyString), '', '{', '}'));

/** `doc` with each bare item `from` (an argument) renamed `to`, at any depth. */
function rename(doc: Doc, from: string, to: string): Doc {
  if (typeof doc === 'string') return doc === from ? to : doc;
  return group(doc.head, doc.items.map((item) => rename(item, from, to)), doc.tail, doc.open, doc.close);
}

export type ResourceTests = ReturnType<typeof resourceTests>;
