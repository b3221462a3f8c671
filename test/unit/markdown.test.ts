import { describe, expect, it } from 'vitest';
import { asciiJson, codeFence, markdownListItem, markdownText } from '../../src/render/markdown.js';

describe('markdown escaping', () => {
  it('turns block syntax and HTML into escaped text', () => {
    expect(markdownText('# Title\n> quote\n| a | b |\n<script>x</script>')).toBe(
      '\\# Title\n\\> quote\n\\| a \\| b \\|\n\\<script\\>x\\<\\/script\\>',
    );
    expect(markdownText('[x](javascript:alert(1))')).toBe('\\[x\\]\\(javascript\\:alert\\(1\\)\\)');
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
