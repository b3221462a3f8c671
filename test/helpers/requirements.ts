/**
 * A payload's requirements as the README documents them, stated independently of the validator:
 * a string is one, and blank items and "none" are no requirement.
 */
export const requirementsOf = (requirements: string | readonly string[] | undefined): string[] =>
  (typeof requirements === 'string' ? [requirements] : [...(requirements ?? [])]).filter((item) => item.trim() !== '' && item.trim().toLowerCase() !== 'none');
