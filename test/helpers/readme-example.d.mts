/** The code block that follows a `<!-- readme-example:<name> -->` marker in the README. */
export declare function readmeBlock(name: string): string;
