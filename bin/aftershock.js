#!/usr/bin/env node
// The CLI ships as a bundle built by `npm install` (postinstall) and `npm run build`.
const path = require('node:path');
const fs = require('node:fs');
const bundle = path.join(__dirname, '..', 'dist', 'cli.js');
if (!fs.existsSync(bundle)) {
  process.stderr.write('aftershock: dist/cli.js is missing; run `npm run build` in the project folder\n');
  process.exit(1);
}
require(bundle);
