#!/usr/bin/env node
'use strict';

require('./load-bundle.cjs')
  .loadBundle()
  .bundle.main(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  });
