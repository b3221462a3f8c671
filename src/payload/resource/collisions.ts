import type { Problem } from '../../errors.js';
import { ownerText, payloadPath, type Owner } from '../owner.js';
import type { Feature } from '../payload.js';
import { listed } from '../text.js';
import type { Resource } from './model.js';
import { standing, type RecordedResource } from './refs.js';

/**
 * Two resources must not share a class name (OpenAPI falls back to module-qualified schema
 * names, and SQLAlchemy's registry holds one class per name) or a table. Two names can meet
 * although the resource names differ: `pet_2` and `pet2` are both `Pet2`, `bus` and `buse`
 * both make `buses`.
 */
const claims = (resource: Resource) => [...Object.values(resource.names.classes).map((name) => ({ kind: 'class' as const, name })), { kind: 'table' as const, name: resource.names.table }];

const WORDS = {
  class: { one: 'the class', many: 'the classes', verb: 'define', verbs: 'defines' },
  table: { one: 'the table', many: 'the tables', verb: 'create', verbs: 'creates' },
};

/**
 * Every class and table name of the batch's resources is free: not another batch resource's,
 * nor a recorded feature's (a feature's own record gives way to its payload). One problem per
 * kind of name and holder, under the later payload's `resource.name`.
 */
export function checkResourceNames(features: readonly Feature[], recorded: readonly RecordedResource[]): Problem[] {
  const problems: Problem[] = [];
  const taken = new Map<string, Owner>();
  const take = (resource: Resource, owner: Owner) => {
    for (const { kind, name } of claims(resource)) if (!taken.has(`${kind} ${name}`)) taken.set(`${kind} ${name}`, owner);
  };
  for (const record of standing(features, recorded)) if (record.resource) take(record.resource, { feature: record.feature });

  features.forEach((feature, index) => {
    const resource = feature.resource;
    if (!resource) return;
    // Grouped by holder and kind, so two features with one resource name make two lines, not ten.
    const clashes = new Map<string, { owner: Owner; kind: 'class' | 'table'; names: string[] }>();
    for (const { kind, name } of claims(resource)) {
      const owner = taken.get(`${kind} ${name}`);
      if (!owner) continue;
      const key = `${kind} ${owner.feature}`;
      const clash = clashes.get(key) ?? { owner, kind, names: [] };
      clash.names.push(name);
      clashes.set(key, clash);
    }
    for (const { owner, kind, names } of clashes.values()) {
      const { one, many, verb, verbs } = WORDS[kind];
      problems.push({
        path: payloadPath(index, features.length, 'resource.name'),
        message: `"${resource.names.snake}" would ${verb} ${names.length > 1 ? many : one} ${listed(names)}, which ${ownerText(owner)} ${verbs}; choose another resource name`,
      });
    }
    take(resource, { feature: feature.names.snake, index });
  });
  return problems;
}
