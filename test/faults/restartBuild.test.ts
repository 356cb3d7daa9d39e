// Issue 20, item 8: `npm start` rebuilt every bundle before every start (seconds of esbuild on a busy machine, then the
// server's own start). Its build now skips a bundle whose inputs have not changed: a restart with nothing changed
// writes nothing, a changed server source rebuilds the server bundle only, a changed page script the dashboard's only.
// npm start checks in the server's own process, not in a second Node start before it. The build runs in a copy of
// the sources, so the dist/ that other tests start stays as it is.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');
let copy: string;

const build = (...args: string[]) =>
  execFileSync(process.execPath, [path.join(copy, 'scripts/build.mjs'), ...args], { cwd: copy, encoding: 'utf8' });

/** Every bundle file of a build output folder with its modification time (not the build's own record of inputs). */
function written(folder: string): Map<string, number> {
  const dir = path.join(copy, folder);
  const files = fs.readdirSync(dir).filter((f) => !f.startsWith('.'));
  return new Map(files.map((f) => [f, fs.statSync(path.join(dir, f)).mtimeMs]));
}

beforeAll(() => {
  copy = fs.mkdtempSync(path.join(os.tmpdir(), 'aftershock-build-'));
  for (const item of ['package.json', 'tsconfig.json', 'scripts', 'src', 'bench', 'test/support', 'web/src', 'web/public'])
    fs.cpSync(path.join(root, item), path.join(copy, item), { recursive: true });
  fs.symlinkSync(path.join(root, 'node_modules'), path.join(copy, 'node_modules'));
}, 60_000);
afterAll(() => fs.rmSync(copy, { recursive: true, force: true }));

it('builds both bundles once, then writes nothing while nothing changed', () => {
  expect(build()).toMatch(/built server and web/);
  const server = written('dist');
  const web = written('web/dist');
  expect(server.has('main.js')).toBe(true);
  expect(web.has('main.js')).toBe(true);

  expect(build()).toMatch(/up to date/);
  expect(written('dist')).toEqual(server);
  expect(written('web/dist')).toEqual(web);
}, 120_000);

it('npm start checks the build in the server process and, with nothing changed, goes straight to the server', () => {
  const { scripts } = JSON.parse(fs.readFileSync(path.join(copy, 'package.json'), 'utf8'));
  expect(scripts.prestart).toBeUndefined();
  expect(scripts.start).toBe('node --enable-source-maps scripts/start.mjs');
  const server = written('dist');
  const web = written('web/dist');
  // a port the configuration refuses: the server's main ran (exit 2, its message) without starting anything
  const started = spawnSync(process.execPath, [path.join(copy, 'scripts/start.mjs')], {
    cwd: copy,
    encoding: 'utf8',
    env: { ...process.env, PORT: 'not-a-port' },
  });
  expect(started.stdout).toMatch(/up to date/);
  expect(started.stderr).toMatch(/PORT/);
  expect(started.status).toBe(2);
  expect(written('dist')).toEqual(server);
  expect(written('web/dist')).toEqual(web);
}, 120_000);

it.each([
  ['server', 'src/config/config.ts', '\nexport const restartBuildProbe = "server changed";\n', 'dist', 'web/dist'],
  ['web', 'web/src/main.ts', '\nconsole.debug("dashboard changed");\n', 'web/dist', 'dist'],
])(
  'rebuilds the %s bundle alone when one of its sources (%s) changes',
  (bundle, source, text, rebuilt, untouched) => {
    const before = written(rebuilt);
    const others = written(untouched);
    fs.appendFileSync(path.join(copy, source), text);
    expect(build()).toMatch(new RegExp(`built ${bundle} in .*the rest up to date`));
    expect(written(rebuilt).get('main.js')).not.toBe(before.get('main.js'));
    expect(written(untouched)).toEqual(others);
    expect(build()).toMatch(/up to date/);
  },
  120_000,
);

it('rebuilds a bundle whose output is gone, and everything with --force', () => {
  fs.rmSync(path.join(copy, 'dist/main.js'));
  expect(build()).toMatch(/built server in/);
  expect(fs.existsSync(path.join(copy, 'dist/main.js'))).toBe(true);
  expect(build('--force')).toMatch(/built server and web/);
}, 120_000);
