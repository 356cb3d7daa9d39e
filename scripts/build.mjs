// Bundles the server, the CLI and the dashboard with esbuild (about a second). Run by postinstall and prestart.
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
// node_modules stay external: only our own code is bundled
const external = [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.devDependencies ?? {})];

function benchEntries() {
  const dir = path.join(root, 'bench');
  if (!fs.existsSync(dir)) return {};
  return Object.fromEntries(fs.readdirSync(dir).filter((f) => /^bench-.*\.ts$/.test(f)).map((f) => [f.replace(/\.ts$/, ''), `bench/${f}`]));
}

const t0 = performance.now();
await build({
  absWorkingDir: root,
  entryPoints: { main: 'src/app/main.ts', cli: 'src/app/cliMain.ts', 'with-db': 'scripts/with-db.ts', ...benchEntries() },
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  external,
  logLevel: 'warning',
});
const webEntry = path.join(root, 'web/src/main.ts');
if (fs.existsSync(webEntry)) {
  await build({
    absWorkingDir: root,
    entryPoints: fs.readdirSync(path.join(root, 'web/src')).filter((f) => /^page-.*\.ts$|^main\.ts$/.test(f)).map((f) => `web/src/${f}`),
    outdir: 'web/dist',
    bundle: true,
    minify: true,
    format: 'esm',
    splitting: true,
    target: 'es2022',
    sourcemap: true,
    logLevel: 'warning',
    metafile: false,
  });
}
console.log(`built dist/ and web/dist/ in ${(performance.now() - t0).toFixed(0)} ms`);
