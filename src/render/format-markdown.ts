import type { Reporter } from '../output/reporter.js';

/**
 * Markdown through prettier, loaded only when needed. Markdown rendered from the built-in
 * templates is already in prettier's form (the test suite proves it over 1,000 hostile
 * payloads), so only output of a project's own overrides goes through it. A formatter
 * failure is a warning: the unformatted text is kept, never lost.
 */
export async function formatMarkdown(files: { path: string; content: Buffer }[], reporter: Reporter): Promise<void> {
  const markdown = files.filter((file) => file.path.endsWith('.md'));
  if (markdown.length === 0) return;
  let prettier: typeof import('prettier');
  try {
    prettier = await import('prettier');
  } catch (error) {
    reporter.warn(`prettier could not be loaded (${(error as Error).message}); Markdown left as rendered.`);
    return;
  }
  for (const file of markdown) {
    try {
      file.content = Buffer.from(await prettier.format(file.content.toString('utf8'), { parser: 'markdown' }));
    } catch (error) {
      reporter.warn(`${file.path}: prettier could not format it (${(error as Error).message.split('\n')[0]}); left as rendered.`);
    }
  }
}
