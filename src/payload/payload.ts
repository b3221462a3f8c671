// zod/mini: the same engine without the chained API, a fraction of the start-up cost.
import * as z from 'zod/mini';
import { invalidInput, type Problem } from '../errors.js';
import { unknownName } from '../suggest.js';
import { deriveNames, type FeatureNames } from './naming.js';
import { FRAMEWORK_NAMES, PYTHON_BUILTINS, PYTHON_KEYWORDS, STDLIB_MODULES, WINDOWS_RESERVED } from './reserved.js';

export const FEATURE_PATTERN = /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/;
// 32 keeps every import line of every preset within a line length of 79 (`from
// app.api.v1.modules.<feature>.services import (`), as ruff cannot break a module name.
export const MAX_FEATURE_LENGTH = 32;
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

const missingOr = (wrongType: string) => (issue: { input?: unknown }) =>
  issue.input === undefined ? `is required; ${wrongType}` : wrongType;

/** Rules every user string obeys, whatever field it is in. */
const text = (what: string, ...checks: z.core.$ZodCheck<string>[]) =>
  z.string({ error: missingOr(`must be ${what}`) }).check(
    z.refine((value) => !value.includes('\0'), 'contains a NUL character; remove it'),
    z.refine((value) => value.isWellFormed(), 'contains a lone UTF-16 surrogate; use valid Unicode text'),
    ...checks,
  );

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
  },
  { error: (issue) => (issue.code === 'invalid_type' ? 'must be a JSON object with "feature" and "description"' : undefined) },
);

export type Payload = z.infer<typeof payloadSchema>;

function unknownField(key: string): Problem {
  return { path: key, message: unknownName(key, Object.keys(payloadSchema.shape)) };
}

function describeIssue(issue: z.core.$ZodIssue): Problem[] {
  if (issue.code === 'unrecognized_keys') return issue.keys.map(unknownField);
  const path = issue.path.length > 0 ? issue.path.join('.') : 'payload';
  return [{ path, message: issue.message }];
}

function normalizeRequirements(requirements: Payload['requirements']): string[] {
  const list = typeof requirements === 'string' ? [requirements] : (requirements ?? []);
  return list.filter((item) => item.trim() !== '' && item.trim().toLowerCase() !== 'none');
}

/** Every problem at once, one `path: message` line each, or the typed feature. */
export function validatePayload(data: unknown, source: string): Feature {
  const result = payloadSchema.safeParse(data);
  if (!result.success) {
    throw invalidInput('the payload is invalid.', { path: source, problems: result.error.issues.flatMap(describeIssue) });
  }
  const { feature, description, requirements } = result.data;
  return { payload: result.data, names: deriveNames(feature), description, requirements: normalizeRequirements(requirements) };
}
