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
  return Object.fromEntries(
    fs
      .readdirSync(dir)
      .filter((f) => /^bench-.*\.ts$/.test(f))
      .map((f) => [f.replace(/\.ts$/, ''), `bench/${f}`]),
  );
}

const t0 = performance.now();
await build({
  absWorkingDir: root,
  entryPoints: {
    main: 'src/app/main.ts',
    cli: 'src/app/cliMain.ts',
    // the compute worker threads (src/compute/computePool.ts) load it by this name
    'compute-worker': 'src/app/computeWorker.ts',
    'with-db': 'scripts/with-db.ts',
    ...benchEntries(),
  },
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
    entryPoints: fs
      .readdirSync(path.join(root, 'web/src'))
      .filter((f) => /^page-.*\.ts$|^main\.ts$/.test(f))
      .map((f) => `web/src/${f}`),
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
assemblePages();
console.log(`built dist/ and web/dist/ in ${(performance.now() - t0).toFixed(0)} ms`);

/**
 * The dashboard's HTML pages: web/src/html/layout.html (head, site header, <main>) around the body of each
 * page in web/src/html/<name>.html, written to web/public/<name>.html, where the server serves them (git
 * ignores them there). A page's first line names what the layout leaves open:
 * <!-- page title="…" script="page-event" body-class="…" main-class="…" current="/events/new" -->
 * (`current`: the nav link marked aria-current="page"; optional). A file is written only when it changes.
 */
function assemblePages() {
  const source = path.join(root, 'web/src/html');
  if (!fs.existsSync(source)) return;
  const layout = fs.readFileSync(path.join(source, 'layout.html'), 'utf8');
  for (const file of fs.readdirSync(source).filter((f) => f.endsWith('.html') && f !== 'layout.html')) {
    const text = fs.readFileSync(path.join(source, file), 'utf8');
    const head = /^<!-- page (.*) -->\n/.exec(text);
    if (!head)
      throw new Error(`web/src/html/${file}: the first line must be <!-- page title="…" script="…" body-class="…" main-class="…" -->`);
    const fields = Object.fromEntries([...head[1].matchAll(/([a-z-]+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    fields.main = text.slice(head[0].length);
    const html = layout
      .replace(/\{\{current ([^}]+)\}\}/g, (_, href) => (href === fields.current ? ' aria-current="page"' : ''))
      .replace(/\{\{([a-z-]+)\}\}/g, (_, name) => {
        if (fields[name] === undefined) throw new Error(`web/src/html/${file}: no ${name}="…" in its first line`);
        return fields[name];
      });
    const target = path.join(root, 'web/public', file);
    if (!fs.existsSync(target) || fs.readFileSync(target, 'utf8') !== html) fs.writeFileSync(target, html);
  }
}
