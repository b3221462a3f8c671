import { describe, expect, it } from 'vitest';
import { storedJson } from '../../src/plan/resource-samples.js';
import type { ResourceField } from '../../src/payload/resource.js';
import { annotated, comparisonCall, group, parenthesized, prettyDef, refCondition } from '../../src/python/layout.js';

// Each expected layout is what `ruff format` (line length 88) made of the statement on one line.
const ALIAS = 'Xaajq6seNYyyyyyyyyyyyyK0a62k4Qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq';
const FIELD = 'k0a6_2k4_qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq';
const enumColumn = group('mapped_column', [group('Enum', [`*get_args(${ALIAS})`, 'native_enum=False'])]);
const lines = (...parts: string[]) => parts.join('\n');

describe('annotated assignments as ruff lays them out', () => {
  it('keeps what fits on one line', () => {
    expect(annotated('name', 'str | None', 'None', '    ', 88)).toBe('    name: str | None = None');
  });

  it('splits the value when what comes before its brackets fits', () => {
    expect(annotated(FIELD, 'Xaajq6seNYyyyyyy | None', group('Field', ['default=None', 'description="x"']), '    ', 88)).toBe(
      lines(`    ${FIELD}: Xaajq6seNYyyyyyy | None = Field(`, '        default=None, description="x"', '    )'),
    );
    expect(annotated(FIELD, 'Mapped[str]', enumColumn, '    ', 88)).toBe(
      lines(`    ${FIELD}: Mapped[str] = mapped_column(`, '        Enum(', `            *get_args(${ALIAS}),`, '            native_enum=False,', '        )', '    )'),
    );
  });

  it('puts the value in parentheses when `target: annotation = (` fits', () => {
    expect(annotated(FIELD, 'Mapped[Xaajq6seNYyyyyyyyyy]', enumColumn, '    ', 88)).toBe(
      lines(`    ${FIELD}: Mapped[Xaajq6seNYyyyyyyyyy] = (`, '        mapped_column(', '            Enum(', `                *get_args(${ALIAS}),`, '                native_enum=False,', '            )', '        )', '    )'),
    );
  });

  it('splits the annotation otherwise: a subscript in its brackets, a union or a lone annotation in parentheses', () => {
    expect(annotated(FIELD, `Mapped[${ALIAS} | None]`, enumColumn, '    ', 88)).toBe(
      lines(`    ${FIELD}: Mapped[`, `        ${ALIAS} | None`, '    ] = mapped_column(', '        Enum(', `            *get_args(${ALIAS}),`, '            native_enum=False,', '        )', '    )'),
    );
    expect(annotated(FIELD, 'Xaajq6seNYyyyyyyyyyyyyK0a62k4Qqq | None', group('Field', ['default=None', 'description="x"']), '    ', 88)).toBe(
      lines(`    ${FIELD}: (`, '        Xaajq6seNYyyyyyyyyyyyyK0a62k4Qqq | None', '    ) = Field(default=None, description="x")'),
    );
    expect(annotated(FIELD, `${ALIAS} | None`, undefined, '    ', 88)).toBe(lines(`    ${FIELD}: (`, `        ${ALIAS} | None`, '    )'));
    expect(annotated(FIELD, ALIAS, undefined, '    ', 88)).toBe(lines(`    ${FIELD}: (`, `        ${ALIAS}`, '    )'));
  });

  it('leaves a lone annotation long before a value that cannot help', () => {
    expect(annotated(FIELD, ALIAS, '5', '    ', 88)).toBe(`    ${FIELD}: ${ALIAS} = 5`);
    expect(annotated(FIELD, ALIAS, group('Field', ['description="x"']), '    ', 88)).toBe(lines(`    ${FIELD}: ${ALIAS} = Field(`, '        description="x"', '    )'));
  });
});

describe('statements with one part to break', () => {
  it('gives a lone parameter that does not fit a line and a trailing comma', () => {
    expect(prettyDef('test_x', ['client: TestClient'], 'None', '', 88)).toBe('def test_x(client: TestClient) -> None:');
    expect(prettyDef(`test_get_answers_404_for_a_missing_${'y'.repeat(24)}`, ['client: TestClient'], 'None', '', 88)).toBe(
      lines(`def test_get_answers_404_for_a_missing_${'y'.repeat(24)}(`, '    client: TestClient,', ') -> None:'),
    );
  });
});

describe('statements ruff splits in one place', () => {
  it('parenthesizes an expression only when that makes it fit', () => {
    const condition = `paths[URL]["post"]["operationId"] == "${'x'.repeat(32)}_create"`;
    expect(parenthesized('assert', condition, '    ', 88)).toBe(lines('    assert (', `        ${condition}`, '    )'));
    expect(parenthesized('return', '"short"', '    ', 88)).toBe('    return "short"');
    const long = `"${'x'.repeat(80)}"`;
    expect(parenthesized('return', long, '        ', 88)).toBe(`        return ${long}`);
  });

  it('puts a lone comparison argument on a line of its own, else splits it before the operator', () => {
    expect(comparisonCall('conditions.append', 'Xa.k', '==', 'query.k', '        ', 88)).toBe('        conditions.append(Xa.k == query.k)');
    expect(comparisonCall('conditions.append', 'XaaeYyyyyyyyyyyy.kqy5o_30wlj_gfd3_5_qqq', '==', 'query.kqy5o_30wlj_gfd3_5_qqqqqqqq', '        ', 88)).toBe(
      lines('        conditions.append(', '            XaaeYyyyyyyyyyyy.kqy5o_30wlj_gfd3_5_qqq == query.kqy5o_30wlj_gfd3_5_qqqqqqqq', '        )'),
    );
    expect(comparisonCall('conditions.append', 'XaaeYyyyyyyyyyyyyyyyyyy.kqy5o_30wlj_gfd3_5_qqqqqqqqqqqqqq', '==', 'query.kqy5o_30wlj_gfd3_5_qqqqqqqqqqqqqq', '        ', 88)).toBe(
      lines('        conditions.append(', '            XaaeYyyyyyyyyyyyyyyyyyy.kqy5o_30wlj_gfd3_5_qqqqqqqqqqqqqq', '            == query.kqy5o_30wlj_gfd3_5_qqqqqqqqqqqqqq', '        )'),
    );
  });

  it('splits a reference check at the call when what comes before it fits, else in parentheses', () => {
    expect(refCondition('krefaab', 'self.xaabkey_yyyyyyy.xaaae6j6f_oud1_apply_exists', '        ', 88)).toBe(
      lines('        if krefaab is not None and not self.xaabkey_yyyyyyy.xaaae6j6f_oud1_apply_exists(', '            krefaab', '        ):'),
    );
    expect(refCondition('krefaab_something_long', 'self.xaabkey_yyyyyyy.xaaae6j6f_exists', '        ', 88)).toBe(
      lines('        if (', '            krefaab_something_long is not None', '            and not self.xaabkey_yyyyyyy.xaaae6j6f_exists(krefaab_something_long)', '        ):'),
    );
  });
});

describe('values a generated test sends, in the form the API answers with', () => {
  const field = (type: string, extra: object = {}) => ({ name: 'f', type, decimalPlaces: 2, ...extra }) as unknown as ResourceField;

  it('writes a datetime in UTC, with six fraction digits or none', () => {
    expect(storedJson(field('datetime'), '4145-08-15T07:49:23.197Z')).toBe('4145-08-15T07:49:23.197000Z');
    expect(storedJson(field('datetime'), '2024-02-29T23:30:00+02:00')).toBe('2024-02-29T21:30:00Z');
    expect(storedJson(field('datetime'), '0001-01-01T23:59:59.000000-01:30')).toBe('0001-01-02T01:29:59Z');
  });

  it('writes a decimal with all its places', () => {
    expect(storedJson(field('decimal'), 0.4)).toBe('0.40');
    expect(storedJson(field('decimal'), '-12')).toBe('-12.00');
    expect(storedJson(field('decimal', { decimalPlaces: 0 }), '7')).toBe('7');
    expect(storedJson(field('int'), 7)).toBe(7);
  });
});
