// The folder order of the README's code layout is the one `npm run lint` enforces: dependency-cruiser, run on a
// small tree of folders, fails an import of a folder listed later and passes the same import the other way.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const ROOT = path.join(__dirname, '..', '..');
const CONFIG = path.join(ROOT, '.dependency-cruiser.cjs');
const DEPCRUISE = path.join(ROOT, 'node_modules', '.bin', 'depcruise');

const config = require(CONFIG) as { forbidden: { name: string }[] };
const layers = [...config.forbidden.map((r) => /^layer-order-(\w+)$/.exec(r.name)?.[1]).filter((f): f is string => !!f), 'app'];

/** Runs the project's dependency-cruiser rules over `files` (path -> source) laid out as src/ of a scratch folder. */
async function cruise(files: Record<string, string>): Promise<{ failed: boolean; output: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'layer-order-'));
  try {
    fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, module: 'commonjs' } }));
    for (const [file, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), text);
    }
    const { stdout } = await promisify(execFile)(DEPCRUISE, ['src', '--config', CONFIG], { cwd: dir });
    return { failed: false, output: stdout };
  } catch (err) {
    const e = err as { code?: number; stdout?: string };
    if (typeof e.code !== 'number') throw err;
    return { failed: true, output: e.stdout ?? '' };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test("the README's code layout lists the folders of src/ in the checked order", () => {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const layout = readme.slice(readme.indexOf('## Code layout'), readme.indexOf('## Development'));
  const listed = [...layout.matchAll(/^ {2}src\/(\w+)\//gm)].map((m) => m[1]);
  expect(listed).toEqual(layers);
  const folders = fs.readdirSync(path.join(ROOT, 'src'), { withFileTypes: true }).filter((d) => d.isDirectory());
  expect(folders.map((d) => d.name).sort()).toEqual([...layers].sort());
});

test('an import of a capability listed later fails the lint; the same import the other way passes', async () => {
  expect(layers.indexOf('groups')).toBeLessThan(layers.indexOf('status'));
  const upward = await cruise({
    'src/groups/groupStore.ts': "import { staleHours } from '../status/staleness';\nexport const limit = staleHours;\n",
    'src/status/staleness.ts': 'export const staleHours = 24;\n',
  });
  expect(upward.failed).toBe(true);
  expect(upward.output).toContain('layer-order-groups');
  expect(upward.output).toContain('src/groups/groupStore.ts → src/status/staleness.ts');

  const downward = await cruise({
    'src/groups/groupStore.ts': 'export const limit = 24;\n',
    'src/status/staleness.ts': "import { limit } from '../groups/groupStore';\nexport const staleHours = limit;\n",
  });
  expect(downward.output).not.toContain('layer-order');
  expect(downward.failed).toBe(false);
}, 60_000);
