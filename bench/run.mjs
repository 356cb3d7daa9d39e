// `npm run bench`: build, run every bench script (bench/bench-*.ts) one after another, then print one table
// of their figures and ratios against the limits each measured in the same run.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const only = process.argv.slice(2);
const build = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const benches = fs
  .readdirSync(path.join(root, 'bench'))
  .filter((f) => /^bench-.*\.ts$/.test(f))
  .map((f) => f.replace(/\.ts$/, ''))
  .filter((b) => only.length === 0 || only.some((o) => b.includes(o)));
const failed = [];
for (const b of benches) {
  console.log(`\n=== ${b}`);
  const r = spawnSync(process.execPath, [`dist/${b}.js`], { cwd: root, stdio: 'inherit', env: { ...process.env, LOG_LEVEL: 'warn' } });
  if (r.status !== 0) failed.push(b);
}

const fmt = (n) => (Math.abs(n) >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(2));
const rows = [];
for (const b of benches) {
  const file = path.join(root, 'bench', 'results', `${b.replace(/^bench-/, '')}.json`);
  if (!fs.existsSync(file)) continue;
  const result = JSON.parse(fs.readFileSync(file, 'utf8'));
  for (const f of result.figures) {
    rows.push([
      result.bench,
      f.name,
      `${fmt(f.value)} ${f.unit}`,
      f.limit ? `${f.limit.name}: ${fmt(f.limit.value)} ${f.unit}` : '',
      f.limit ? `${f.limit.ratio.toFixed(2)}x` : '',
      f.goal ?? '',
    ]);
  }
}
const head = ['bench', 'figure', 'value', 'limit (same run)', 'ratio', 'goal'];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (cells) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
console.log(
  `\nAftershock benchmarks on ${os.cpus().length} x ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}\n`,
);
console.log(line(head));
console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const r of rows) console.log(line(r));
if (failed.length) {
  console.error(`\nfailed: ${failed.join(', ')}`);
  process.exit(1);
}
