export declare const VENV: string;
export declare const FLOOR_VENV: string;
export declare const FLOORS: string;
export declare function venvBin(tool: string): string;
export declare function floorBin(tool: string): string;
export declare function ensurePythonEnv(): void;
export declare function floorPython(): string;
/** Creates the floor venv when needed; returns the version of the Python it runs. */
export declare function ensureFloorEnv(): string;
export default function setup(): void;
