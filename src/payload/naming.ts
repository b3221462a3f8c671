/** snake_case: lowercase ASCII words of letters and digits joined by single underscores, starting with a letter. */
export const FEATURE_PATTERN = /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/;
// 32 keeps every import line of every preset within a line length of 79 (`from
// app.api.v1.modules.<feature>.services import (`), as ruff cannot break a module name.
export const MAX_FEATURE_LENGTH = 32;

/** The spellings of one feature name that generated files need. */
export interface FeatureNames {
  /** `pet_profile`: Python modules, packages and identifiers. */
  snake: string;
  /** `pet-profile`: the URL segment. */
  kebab: string;
  /** `PetProfile`: class names. */
  pascal: string;
  /** `Pet Profile`: OpenAPI tags and headings. */
  title: string;
}

const capitalize = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

/** Assumes `snake` already matched the feature pattern, so it splits cleanly on `_`. */
export function deriveNames(snake: string): FeatureNames {
  const words = snake.split('_');
  return {
    snake,
    kebab: words.join('-'),
    pascal: words.map(capitalize).join(''),
    title: words.map(capitalize).join(' '),
  };
}
