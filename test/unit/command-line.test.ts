import { describe, expect, it } from 'vitest';
import { commandLine, shellQuoted } from '../../src/output/command-line.js';

describe('commandLine', () => {
  it('keeps plain words as they are and quotes the rest so that a POSIX shell reads them back whole', () => {
    expect(commandLine(['petsage-build', 'update', 'pets.json', '--target', '../my backend'])).toBe("petsage-build update pets.json --target '../my backend'");
    expect(commandLine(['update', "owner's.json", '-', '$HOME', 'a;b'])).toBe(`update 'owner'\\''s.json' - '$HOME' 'a;b'`);
    expect(shellQuoted('')).toBe("''");
  });
});
