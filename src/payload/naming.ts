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
