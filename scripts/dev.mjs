// `npm run dev`: rebuild on every change (esbuild watch) and restart the server (node --watch).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const run = (args) => spawn(process.execPath, args, { cwd: root, stdio: 'inherit', env: { LOG_LEVEL: 'debug', ...process.env } });
const rebuild = () => new Promise((resolve) => run(['scripts/build.mjs']).on('exit', resolve));

await rebuild();
const server = run(['--watch-path=dist', '--enable-source-maps', 'dist/main.js']);
let timer;
for (const dir of ['src', 'web/src', 'prisma']) {
  fs.watch(path.join(root, dir), { recursive: true }, () => {
    clearTimeout(timer);
    timer = setTimeout(rebuild, 150);
  });
}
const stop = () => server.kill('SIGINT');
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
server.on('exit', (code) => process.exit(code ?? 0));
