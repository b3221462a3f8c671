import { createContext, runInContext, type Context } from 'node:vm';

/**
 * A `pattern` must mean the same to JavaScript (which checks the payload's defaults and examples
 * here) and to Pydantic, whose default engine is Rust's regex crate. The crate refuses
 * look-around and back-references; it reads `[]` and `[^]` as the start of a class holding `]`,
 * where JavaScript reads an empty class. Everything else JavaScript's `u` mode refuses on its own.
 */
export function patternProblem(pattern: string): string | undefined {
  try {
    new RegExp(pattern, 'u');
  } catch (error) {
    return `is not a valid regular expression: ${(error as Error).message.replace(/^Invalid regular expression: /, '')}`;
  }
  let inClass = false;
  for (let i = 0; i < pattern.length; i += 1) {
    const rest = pattern.slice(i);
    if (rest.startsWith('\\')) {
      if (/^\\[0-9]/.test(rest) || rest.startsWith('\\k<')) return `uses a back-reference "${/^\\(\d+|k<[^>]*>?)/.exec(rest)![0]}", which Pydantic's regex engine (Rust) refuses`;
      i += 1;
    } else if (inClass) {
      if (rest.startsWith(']')) inClass = false;
    } else if (rest.startsWith('[')) {
      if (/^\[\^?\]/.test(rest)) return `has an empty character class "${/^\[\^?\]/.exec(rest)![0]}", which Pydantic's regex engine (Rust) reads differently; write it out`;
      inClass = true;
    } else if (/^\(\?<?[=!]/.test(rest)) {
      return `uses look-around "${/^\(\?<?[=!]/.exec(rest)![0]}", which Pydantic's regex engine (Rust) refuses`;
    }
  }
  return undefined;
}

/** Far beyond any sane match of a value this short; only catastrophic backtracking gets near. */
const MATCH_TIMEOUT_MS = 250;
let sandbox: Context | undefined;

/**
 * Whether `value` matches `pattern` (as Pydantic searches: anywhere, unless anchored), or
 * 'too slow' when JavaScript's backtracking engine would take too long (`(a+)+$`): the match
 * runs in a context with a timeout, so a hostile pattern cannot hang the run.
 */
export function matchesPattern(pattern: string, value: string): boolean | 'too slow' {
  sandbox ??= createContext({});
  sandbox.pattern = pattern;
  sandbox.value = value;
  try {
    return runInContext('new RegExp(pattern, "u").test(value)', sandbox, { timeout: MATCH_TIMEOUT_MS }) as boolean;
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') return 'too slow';
    throw error;
  }
}
