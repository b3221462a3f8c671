// Python's str.isspace(), which str.strip() removes.
const PYTHON_EDGE_SPACE = /^[\t-\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+|[\t-\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/g;

/**
 * What FastAPI publishes as an endpoint's description: the text before the first form feed,
 * stripped of edge whitespace as Python's `str.strip()` strips it. The generated test checks
 * that FastAPI still does exactly this. Where that leaves nothing, FastAPI publishes the
 * handler's docstring instead (include_router copies the route, and an empty description then
 * falls back to it): the payload's validation refuses such a description.
 */
export function publishedDescription(text: string): string {
  return text.split('\f')[0]!.replace(PYTHON_EDGE_SPACE, '');
}
