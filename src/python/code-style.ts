import { LINE_LENGTH, sortByKey } from './format.js';
import { importNameKey } from './layout.js';

/**
 * How generated code names UTC: `datetime.UTC` where the target's Python floor has it (3.11 on,
 * and ruff's UP017 then asks for it), else `timezone.utc`, which every Python 3 has.
 */
export interface UtcSpelling {
  /** The name imported from `datetime`. */
  name: 'UTC' | 'timezone';
  /** The expression for UTC. */
  value: 'UTC' | 'timezone.utc';
}

const MODERN: UtcSpelling = { name: 'UTC', value: 'UTC' };
export const LEGACY_UTC: UtcSpelling = { name: 'timezone', value: 'timezone.utc' };

/** The spelling for a blueprint's `pythonFloor`, which is kept only from 3.11 on. */
export const utcSpelling = (pythonFloor: string | undefined): UtcSpelling => (pythonFloor === undefined ? LEGACY_UTC : MODERN);

/** What generated code is written for in a target: ruff's line length and the Python floor's UTC. */
export interface CodeStyle {
  lineLength: number;
  utc: UtcSpelling;
}

export const codeStyle = (blueprint: { lineLength?: number; pythonFloor?: string }): CodeStyle => ({ lineLength: blueprint.lineLength ?? LINE_LENGTH, utc: utcSpelling(blueprint.pythonFloor) });

/** `from datetime import ...` of `names` and UTC's name, in isort's order (`UTC` first, `timezone` last). */
export const fromDatetime = (utc: UtcSpelling, ...names: string[]): string => `from datetime import ${sortByKey([...names, utc.name], importNameKey).join(', ')}`;

/** The templates' `utc`: its expression, and the import of `datetime` and it. */
export const utcContext = (utc: UtcSpelling) => ({ value: utc.value, imports: fromDatetime(utc, 'datetime') });
