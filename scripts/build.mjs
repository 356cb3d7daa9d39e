// Bundles the server, the CLI and the dashboard with esbuild, and assembles the dashboard pages. Run by npm install,
// npm start (scripts/start.mjs) and the tests. A bundle is rebuilt only when what it was built from has changed: every
// file esbuild read for it last time (its metafile's inputs), its entry points and options, this script and
// tsconfig.json, hashed into dist/.build-inputs.json. A restart with nothing changed therefore skips esbuild
// (seconds on a busy machine) and starts the server at once. --force rebuilds everything.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
// node_modules stay external: only our own code is bundled
const external = [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.devDependencies ?? {})];
const force = process.argv.includes('--force');
const stampFile = path.join(root, 'dist', '.build-inputs.json');

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

const bundles = [
  {
    name: 'server',
    options: {
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
    },
  },
];
if (fs.existsSync(path.join(root, 'web/src/main.ts'))) {
  bundles.push({
    name: 'web',
    options: {
      entryPoints: fs
        .readdirSync(path.join(root, 'web/src'))
        .filter((f) => /^page-.*\.ts$|^main\.ts$/.test(f))
        .sort()
        .map((f) => `web/src/${f}`),
      outdir: 'web/dist',
      bundle: true,
      minify: true,
      format: 'esm',
      splitting: true,
      target: 'es2022',
      sourcemap: true,
    },
  });
}

const t0 = performance.now();
const stamps = readStamps();
const built = [];
let esbuild;
for (const { name, options } of bundles) {
  const key = hashOf(JSON.stringify(options), fileText('scripts/build.mjs'), fileText('tsconfig.json'));
  if (!force && upToDate(stamps[name], key)) continue;
  // imported only when something is built: loading esbuild is part of what a restart saves
  esbuild ??= await import('esbuild');
  const result = await esbuild.build({ absWorkingDir: root, logLevel: 'warning', ...options, metafile: true });
  const inputs = Object.keys(result.metafile.inputs);
  stamps[name] = {
    key,
    inputs: Object.fromEntries(inputs.map((file) => [file, hashOf(fileText(file))])),
    outputs: Object.keys(result.metafile.outputs),
  };
  fs.writeFileSync(stampFile, `${JSON.stringify(stamps, null, 1)}\n`);
  built.push(name);
}
// npm start runs the server in this process next: no esbuild service left behind it
await esbuild?.stop();
assemblePages();
const ms = (performance.now() - t0).toFixed(0);
console.log(
  built.length === 0
    ? `dist/ and web/dist/ up to date (checked in ${ms} ms)`
    : `built ${built.join(' and ')} in ${ms} ms${built.length < bundles.length ? '; the rest up to date' : ''}`,
);

function fileText(file) {
  try {
    return fs.readFileSync(path.join(root, file));
  } catch {
    return null;
  }
}

function hashOf(...parts) {
  const hash = crypto.createHash('sha256');
  for (const part of parts) hash.update(part === null ? '\0missing' : part).update('\0');
  return hash.digest('hex');
}

function readStamps() {
  try {
    return JSON.parse(fs.readFileSync(stampFile, 'utf8'));
  } catch {
    return {};
  }
}

/** Whether a bundle's outputs are all there and were built with these options from files that have not changed since. */
function upToDate(stamp, key) {
  if (!stamp || stamp.key !== key) return false;
  if (!stamp.outputs.every((file) => fs.existsSync(path.join(root, file)))) return false;
  return Object.entries(stamp.inputs).every(([file, hash]) => hashOf(fileText(file)) === hash);
}

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
