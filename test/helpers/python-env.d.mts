export declare const VENV: string;
export declare function venvBin(tool: string): string;
export declare function ensurePythonEnv(): void;
export default function setup(): void;
