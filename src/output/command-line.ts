/** A word in single quotes for a POSIX shell, whatever it holds. */
export const shellQuoted = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`;

/** A command line a user can paste: each word as it is when a shell would keep it so, else quoted. */
export const commandLine = (words: readonly string[]) => words.map((word) => (/^[\w@%+=:,./-]+$/.test(word) ? word : shellQuoted(word))).join(' ');
