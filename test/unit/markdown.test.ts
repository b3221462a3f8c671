import { describe, expect, it } from 'vitest';
import { codeFence, markdownListItem, markdownText } from '../../src/render/markdown.js';
import { asciiJson } from '../../src/data.js';

describe('markdown escaping', () => {
  it('turns block syntax and HTML into escaped text', () => {
    expect(markdownText('# Title\n> quote\n| a | b |\n<script>x</script>')).toBe('\\# Title\n\\> quote\n\\| a \\| b \\|\n\\<script>x\\</script>');
    expect(markdownText('[x](javascript:alert(1))')).toBe('\\[x\\](javascript:alert(1))');
    expect(markdownText('- a\n+ b\n1. c\n2) d\n===\n`e` *f* _g_ ~h~ &amp; \\')).toBe('\\- a\n\\+ b\n1\\. c\n2\\) d\n\\===\n\\`e\\` \\*f\\* \\_g\\_ \\~h\\~ \\&amp; \\\\');
  });

  it('keeps ordinary prose as written, and breaks what would become a link', () => {
    expect(markdownText("Tracks each pet's name, species and birthday (if known): 3 > 2 & \"ok\"!")).toBe(
      "Tracks each pet's name, species and birthday (if known): 3 > 2 & \"ok\"!",
    );
    expect(markdownText('see example.com or https://x.org, e.g. this.')).toBe('see example\\.com or https\\://x\\.org, e\\.g. this.');
  });

  it('keeps leading indentation from starting a code block, and shows invisible characters', () => {
    expect(markdownText('    code\u202e')).toBe('&#x20;&#x20;&#x20;&#x20;code&#x202E;');
  });

  it('keeps a list item in one item', () => {
    expect(markdownListItem('one\n\n- two')).toBe('one\\\n  \\- two');
  });

  it('fences longer than any backtick run, and JSON stays ASCII', () => {
    expect(codeFence('a ```` b')).toBe('`````');
    expect(codeFence('plain')).toBe('```');
    expect(asciiJson({ m: 'caf\u00e9\u2028' })).toBe('{\n  "m": "caf\\u00e9\\u2028"\n}');
  });
});

describe('markdown whitespace', () => {
  it('keeps runs of spaces, tabs and trailing blanks visible, where Markdown would fold them', () => {
    expect(markdownText('a  b\tc ')).toBe('a &#x20;b&#x9;c&#x20;');
  });

  it('folds blank lines the way Markdown does, dropping them at either end', () => {
    expect(markdownText('\n\none\n\n\n \ntwo\n\n')).toBe('one\n\ntwo');
  });
});
