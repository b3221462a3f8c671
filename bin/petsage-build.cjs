#!/usr/bin/env node
'use strict';

const { loadBundle, cacheFor } = require('./load-bundle.cjs');

const args = process.argv.slice(2);
const { bundle } = loadBundle({ cache: cacheFor(args) });
bundle
  .main(args)
  .then((code) => {
    process.exitCode = code;
    // Exit now rather than when the event loop drains: Node would first wait for V8's background
    // compile jobs of a finished run (about 3 ms of a cold start). Only with nothing left to
    // write, so no output is ever cut short.
    if (!bundle.outputPending()) process.exit(code);
  });
