import { once } from '../data.js';
import type { FileSpec } from '../plan/plan.js';
import { Renderer } from './renderer.js';

/** The database layer's templates: petsage-build's own, which a project's overrides never replace. */
export const databaseRenderer = once(() => new Renderer('db'));

/** A planned file as its template set renders it: the feature's (under the project's overrides), or the database layer's. */
export const renderPlanned = (file: FileSpec, context: object, renderer: Renderer): string => (file.set === 'db' ? databaseRenderer() : renderer).render(file.template, context);
