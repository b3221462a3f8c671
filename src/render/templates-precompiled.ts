import type Handlebars from 'handlebars';

type TemplateSpecification = Parameters<typeof Handlebars.template>[0];

/**
 * The built-in templates, compiled by src/build/bundle.mjs when it bundles dist/, keyed by
 * their path under templates/. From source (tests, type-checking) there are none, and the
 * renderer compiles templates from disk instead.
 */
export const PRECOMPILED: Readonly<Record<string, TemplateSpecification>> | undefined = undefined;
