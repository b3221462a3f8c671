/**
 * The typed, normalised `resource` block a Feature carries: every default filled in and every
 * name derived, as plain data for the plan and the templates. See docs/resources-design.md.
 */

/** In the order generated code always has them. */
export const OPERATIONS = ['create', 'list', 'get', 'update', 'delete'] as const;
export type Operation = (typeof OPERATIONS)[number];

export const ID_TYPES = ['int', 'uuid'] as const;
export type IdType = (typeof ID_TYPES)[number];

export const FIELD_TYPES = ['str', 'text', 'int', 'float', 'decimal', 'bool', 'date', 'datetime', 'uuid', 'enum', 'ref'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

export const MAX_RESOURCE_NAME_LENGTH = 24;
/** A plural as long as the longest the rule derives (`+es`, or `y` -> `ies`). */
export const MAX_PLURAL_LENGTH = MAX_RESOURCE_NAME_LENGTH + 2;
export const MAX_FIELD_NAME_LENGTH = 40;
export const MAX_FIELDS = 50;
export const MAX_STR_LENGTH = 10_000;
export const MAX_ENUM_VALUES = 100;
export const MAX_ENUM_VALUE_LENGTH = 100;
export const MAX_PATTERN_LENGTH = 1000;
export const MAX_FIELD_DESCRIPTION_LENGTH = 2000;
export const MAX_DECIMAL_DIGITS = 38;
export const DEFAULT_MAX_DIGITS = 18;
export const DEFAULT_DECIMAL_PLACES = 2;
export const MAX_PAGE_LIMIT = 1000;
export const DEFAULT_PAGE_LIMIT = 20;
export const DEFAULT_MAX_PAGE_LIMIT = 100;
/** PostgreSQL's identifier limit (NAMEDATALEN - 1), in bytes; generated names are ASCII. */
export const MAX_IDENTIFIER_BYTES = 63;
/** `BigInteger` columns: the range an `int` field's bounds default to, as exact text. */
export const INT64_MIN = '-9223372036854775808';
export const INT64_MAX = '9223372036854775807';

/**
 * A value of a field as the payload gave it (JSON): strings for str, text, enum, date, datetime
 * and uuid; numbers for int and float; booleans for bool. Decimals are their exact text
 * (`"12.50"`), a JSON number becoming its shortest round-trip text (`0.1` -> `"0.1"`).
 */
export type FieldValue = string | number | boolean | null;

/** The class names one resource defines, each unique across the backend's features. */
export interface ResourceClassNames {
  /** The SQLAlchemy model: `Pet`. */
  model: string;
  create: string;
  update: string;
  read: string;
  page: string;
  /** The error body of the API: `PetError`. */
  error: string;
  /** The services' domain errors. */
  notFound: string;
  conflict: string;
  invalid: string;
}

export interface ResourceNames {
  /** `pet`, as the payload gave it. */
  snake: string;
  /** `Pet`. */
  pascal: string;
  /** `pets`: the table, the plural of `snake`. */
  table: string;
  /** `pk_pets`. */
  primaryKey: string;
  classes: ResourceClassNames;
}

/** Numeric constraints as exact decimal text (`"0"`, `"0.01"`, `"1e-7"`), ready to be a Python literal. */
export interface NumericBounds {
  gt?: string;
  ge?: string;
  lt?: string;
  le?: string;
  multipleOf?: string;
}

interface FieldCommon {
  /** The attribute, column and JSON key. */
  name: string;
  /** Whether `create` must send it (computed when the payload left it out). */
  required: boolean;
  nullable: boolean;
  /** Whether the field has a default; `default` itself may be null. */
  hasDefault: boolean;
  /** Present exactly when hasDefault. */
  default?: FieldValue;
  unique: boolean;
  filterable: boolean;
  readOnly: boolean;
  writeOnly: boolean;
  description?: string;
  example?: FieldValue;
  /** `uq_<table>_<column>`, when unique. */
  uniqueName?: string;
  /** `ix_<table>_<column>`, when filterable. */
  indexName?: string;
}

export interface StrField extends FieldCommon {
  type: 'str';
  minLength?: number;
  /** `String(maxLength)`: always set for `str`. */
  maxLength: number;
  pattern?: string;
}

export interface TextField extends FieldCommon {
  type: 'text';
  minLength?: number;
  maxLength?: number;
  pattern?: string;
}

export interface IntField extends FieldCommon, NumericBounds {
  type: 'int';
}

export interface FloatField extends FieldCommon, NumericBounds {
  type: 'float';
}

export interface DecimalField extends FieldCommon, NumericBounds {
  type: 'decimal';
  maxDigits: number;
  decimalPlaces: number;
}

export interface PlainField extends FieldCommon {
  type: 'bool' | 'date' | 'datetime' | 'uuid';
}

export interface EnumField extends FieldCommon {
  type: 'enum';
  values: string[];
}

/** What a ref points at, known once checkResourceRefs has found the parent. */
export interface RefParent {
  feature: string;
  table: string;
  /** The column's type: the parent's id type. */
  idType: IdType;
  /** `fk_<table>_<column>_<parent table>`. */
  foreignKey: string;
}

export interface RefField extends FieldCommon {
  type: 'ref';
  /** The parent resource's feature. */
  feature: string;
  /** Unset in what validatePayload returns; set in the features checkResourceRefs returns. */
  parent?: RefParent;
}

export type ResourceField = StrField | TextField | IntField | FloatField | DecimalField | PlainField | EnumField | RefField;

export interface Resource {
  names: ResourceNames;
  /** In the canonical order of OPERATIONS. */
  operations: Operation[];
  id: IdType;
  /** In payload order. */
  fields: ResourceField[];
  pagination: { defaultLimit: number; maxLimit: number };
}

/** The Python type of a field's values, by the type of its column (a ref's is its parent's id type). */
export const PYTHON_TYPE_NAMES: Readonly<Record<Exclude<FieldType, 'enum' | 'ref'>, string>> = {
  str: 'str',
  text: 'str',
  int: 'int',
  float: 'float',
  decimal: 'Decimal',
  bool: 'bool',
  date: 'date',
  datetime: 'datetime',
  uuid: 'UUID',
};
