// zod/mini: the same engine without the chained API, a fraction of the start-up cost.
import { publishedDescription } from '../python/fastapi-text.js';
import * as z from 'zod/mini';
import { isPlainObject } from '../data.js';
import { invalidInput, type Problem } from '../errors.js';
import { unknownName } from '../suggest.js';
import { deriveNames, FEATURE_PATTERN, MAX_FEATURE_LENGTH, type FeatureNames } from './naming.js';
import { FRAMEWORK_NAMES, PYTHON_BUILTINS, PYTHON_KEYWORDS, STDLIB_MODULES, WINDOWS_RESERVED } from './reserved.js';
import { resourceSchema, toResource, unknownResourceKey, type Resource } from './resource.js';
import { pathText, text } from './text.js';

export { FEATURE_PATTERN, MAX_FEATURE_LENGTH };
export const MAX_DESCRIPTION_LENGTH = 2000;
export const MAX_REQUIREMENTS = 100;

/** A validated payload with everything the templates derive from it. */
export interface Feature {
  /** The payload as validated, kept in the feature's record. */
  payload: Payload;
  names: FeatureNames;
  description: string;
  /** Empty when the payload said none. */
  requirements: string[];
  /** Present exactly when the payload has a `resource` block; normalised, defaults filled in. */
  resource?: Resource;
}

const RESERVED_REASONS: [Set<string>, string][] = [
  [PYTHON_KEYWORDS, 'is a Python keyword'],
  [PYTHON_BUILTINS, 'is a Python builtin'],
  [STDLIB_MODULES, 'is a standard-library module'],
  [FRAMEWORK_NAMES, 'is reserved for a framework package or the tests directory'],
  [WINDOWS_RESERVED, 'is a reserved device name on Windows'],
];

function reservedReason(name: string): string | undefined {
  return RESERVED_REASONS.find(([names]) => names.has(name))?.[1];
}

export const payloadSchema = z.strictObject(
  {
    feature: text(
      'a string: a snake_case name such as "pet_profile"',
      z.maxLength(MAX_FEATURE_LENGTH, `must be at most ${MAX_FEATURE_LENGTH} characters`),
      z.regex(
        FEATURE_PATTERN,
        'must be snake_case: lowercase ASCII letters and digits in words joined by single underscores, starting with a letter (e.g. "pet_profile")',
      ),
      z.superRefine((name, ctx) => {
        const reason = reservedReason(name);
        if (reason) ctx.addIssue({ code: 'custom', message: `"${name}" ${reason}; choose another name (e.g. "${name}_feature")` });
      }),
    ),
    description: text(
      'a string saying what the feature does',
      z.maxLength(MAX_DESCRIPTION_LENGTH, `must be at most ${MAX_DESCRIPTION_LENGTH} characters`),
      z.refine((value) => value.trim() !== '', 'must not be empty; say in a sentence what the feature does'),
      z.refine(
        (value) => value.trim() === '' || publishedDescription(value) !== '',
        'must have text before its first form feed (\\f) and not only spaces: FastAPI cuts an endpoint\'s description there, and would publish nothing of it',
      ),
    ),
    requirements: z.optional(
      z
        .union([text('a string'), z.array(text('a string')).check(z.maxLength(MAX_REQUIREMENTS))], {
          // A union reports itself, not its branches: say which rule a list broke.
          error: (issue) => (Array.isArray(issue.input) && issue.input.length > MAX_REQUIREMENTS ? `must list at most ${MAX_REQUIREMENTS} requirements` : 'must be a string or a list of strings; use "none" for none'),
        })
        .check(
          z.meta({
            description:
              'Free text, never interpreted: each requirement becomes an item of the module README\'s checklist and of the endpoint\'s OpenAPI description, and a skipped pytest item that `pytest -rs` lists as work still to do. "none" (or an empty list) means none.',
          }),
        ),
    ),
    // Behind a pipe from unknown, so that nothing asks the lazy schema about itself (as the
    // optional would ask a bare z.lazy whether it is optional) before a payload has a resource.
    resource: z.optional(z.pipe(z.unknown(), z.lazy(resourceSchema))),
  },
  { error: (issue) => (issue.code === 'invalid_type' ? 'must be a JSON object with "feature" and "description"' : undefined) },
);

export type Payload = z.infer<typeof payloadSchema>;

const RESOURCE_DESCRIPTION =
  'A CRUD resource: a SQLAlchemy model, Pydantic schemas, a repository, a service, endpoints for its operations, an Alembic revision and tests. Leave it out for a feature with a single status endpoint.';

/** The payload schema as the JSON Schema shows it: the same keys, with the resource's own schema in place of the pipe that defers it. */
export const describedPayloadSchema = () => z.extend(payloadSchema, { resource: z.optional(resourceSchema().check(z.meta({ description: RESOURCE_DESCRIPTION }))) });

/** What to say about a key no schema takes, wherever it is: `data` is the payload as given. */
function unknownKey(path: readonly PropertyKey[], key: string, data: unknown): string {
  if (path.length === 0) return unknownName(key, Object.keys(payloadSchema.shape));
  return unknownResourceKey(path.slice(1), key, (data as { resource?: unknown }).resource);
}

function describeIssue(issue: z.core.$ZodIssue, data: unknown): Problem[] {
  if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => ({ path: pathText([...issue.path, key]), message: unknownKey(issue.path, key, data) }));
  const path = issue.path.length > 0 ? pathText(issue.path) : 'payload';
  return [{ path, message: issue.message }];
}

function normalizeRequirements(requirements: Payload['requirements']): string[] {
  const list = typeof requirements === 'string' ? [requirements] : (requirements ?? []);
  return list.filter((item) => item.trim() !== '' && item.trim().toLowerCase() !== 'none');
}

/**
 * The issues in the order a reader fixes them: those of a resource's fields grouped by field, in
 * the payload's order of fields, where the fields' issues were (zod reports the checks of the
 * fields object, such as a field's name, after every field's own).
 */
function byField(issues: readonly z.core.$ZodIssue[], data: unknown): z.core.$ZodIssue[] {
  const resource = isPlainObject(data) ? data.resource : undefined;
  const fields = isPlainObject(resource) && isPlainObject(resource.fields) ? Object.keys(resource.fields) : [];
  const fieldOf = (issue: z.core.$ZodIssue) => (issue.path[0] === 'resource' && issue.path[1] === 'fields' && issue.path.length > 2 ? fields.indexOf(issue.path[2] as string) : -1);
  const ofFields = issues.filter((issue) => fieldOf(issue) >= 0);
  const sorted = ofFields.map((issue, at) => ({ issue, at, field: fieldOf(issue) })).sort((a, b) => a.field - b.field || a.at - b.at);
  let next = 0;
  return issues.map((issue) => (fieldOf(issue) >= 0 ? sorted[next++]!.issue : issue));
}

/** Every problem at once, one `path: message` line each, or the typed feature. */
export function validatePayload(data: unknown, source: string): Feature {
  const result = payloadSchema.safeParse(data);
  if (!result.success) {
    throw invalidInput('the payload is invalid.', { path: source, problems: byField(result.error.issues, data).flatMap((issue) => describeIssue(issue, data)) });
  }
  const { feature, description, requirements, resource } = result.data;
  // No `resource` key at all without the block, so such a feature is exactly what it was before resources.
  return {
    payload: result.data,
    names: deriveNames(feature),
    description,
    requirements: normalizeRequirements(requirements),
    ...(resource && { resource: toResource(resource) }),
  };
}
