import { PYTHON_KEYWORDS } from '../payload/reserved.js';

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A name Python code can bind and import: an ASCII identifier that is not a keyword or a constant. */
export const isIdentifier = (name: string) => IDENTIFIER.test(name) && !PYTHON_KEYWORDS.has(name) && !['True', 'False', 'None'].includes(name);
