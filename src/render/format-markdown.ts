import type { Reporter } from '../output/reporter.js';
import { importLazily } from '../lazy-import.js';

/**
 * Markdown through prettier, loaded only when needed. Markdown rendered from the built-in
 * templates is already in prettier's form (the test suite proves it over 1,000 hostile
 * payloads), so only output of a project's own overrides goes through it. A formatter
 * failure is a warning: the unformatted text is kept, never lost.
 */
export async function formatMarkdown<T extends { path: string; content: string }>(files: T[], reporter: Reporter): Promise<T[]> {
  const markdown = files.filter((file) => file.path.endsWith('.md'));
  if (markdown.length === 0) return files;
  let prettier: typeof import('prettier');
  try {
    prettier = await importLazily<typeof import('prettier')>('prettier');
  } catch (error) {
    reporter.warn(`prettier could not be loaded (${(error as Error).message}); Markdown left as rendered.`);
    return files;
  }
  for (const file of markdown) {
    try {
      file.content = await prettier.format(file.content, { parser: 'markdown' });
    } catch (error) {
      reporter.warn(`${file.path}: prettier could not format it (${(error as Error).message.split('\n')[0]}); left as rendered.`);
    }
  }
  return files;
}
