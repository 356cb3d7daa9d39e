// `npm start`: brings the bundles up to date (build.mjs, which does nothing when no source changed) and runs the
// server in this same process, so that a start pays for one Node process, not one for the build and one for the server.
import { createRequire } from 'node:module';

await import('./build.mjs');
createRequire(import.meta.url)('../dist/main.js');
