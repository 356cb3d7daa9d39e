// Developer tool, adapted from ../shared/reference/prisma-offline-migrate.mjs: drives Prisma's WASM schema engine
// (npm) through the pg driver adapter where the Prisma CLI cannot download its native engine.
// Usage (run from the project root; with-db starts a throwaway embedded Postgres):
//   npm run build && node dist/with-db.js node scripts/prisma-offline.mjs dev <name>   author a migration from schema.prisma
//   node dist/with-db.js node scripts/prisma-offline.mjs diff                          exit 2 when schema and migrations disagree
// Pinned: @prisma/schema-engine-wasm@8.1.0-2.59be4fda..., @prisma/adapter-pg, @prisma/driver-adapter-utils (internal API).
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { createRequire } from 'node:module';
import pg from 'pg';
import * as bg from '@prisma/schema-engine-wasm/schema_engine_bg';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import { PrismaPg } from '@prisma/adapter-pg';

// the wasm glue reports Rust panics through this global (the Prisma CLI defines it)
globalThis.PRISMA_WASM_PANIC_REGISTRY ??= {
  message: '',
  set_message(m) {
    this.message = `RuntimeError: ${m}`;
  },
  get() {
    return this.message;
  },
};
process.on('uncaughtException', (e) => {
  console.error('uncaught:', e?.message, '- wasm panic:', globalThis.PRISMA_WASM_PANIC_REGISTRY?.get?.());
  process.exit(1);
});
const require = createRequire(import.meta.url);
const wasmPath = path.join(path.dirname(require.resolve('@prisma/schema-engine-wasm/schema_engine_bg')), 'schema_engine_bg.wasm');
const { instance } = await WebAssembly.instantiate(fs.readFileSync(wasmPath), { './schema_engine_bg.js': bg });
bg.__wbg_set_wasm(instance.exports);
instance.exports.__wbindgen_start?.();

const root = process.cwd();
const schemaPath = path.join(root, 'prisma/schema.prisma');
const migrationsDir = path.join(root, process.env.MIGRATIONS_DIR || 'prisma/migrations');
const lockPath = path.join(migrationsDir, 'migration_lock.toml');
const schemaFiles = [{ path: schemaPath, content: fs.readFileSync(schemaPath, 'utf8') }];
const filters = { externalTables: [], externalEnums: [] };
const debug = (...a) => process.env.MIGRATE_DEBUG && console.error(...a);

function migrationsList() {
  const dirs = fs.existsSync(migrationsDir)
    ? fs
        .readdirSync(migrationsDir, { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => d.name)
        .sort()
    : [];
  return {
    baseDir: migrationsDir,
    lockfile: { path: 'migration_lock.toml', content: fs.existsSync(lockPath) ? fs.readFileSync(lockPath, 'utf8') : null },
    shadowDbInitScript: '',
    migrationDirectories: dirs.map((d) => {
      const f = path.join(migrationsDir, d, 'migration.sql');
      return {
        path: d,
        migrationFile: {
          path: 'migration.sql',
          content: fs.existsSync(f) ? { tag: 'ok', value: fs.readFileSync(f, 'utf8') } : { tag: 'error', value: 'missing migration.sql' },
        },
      };
    }),
  };
}

// @prisma/adapter-pg 7.10.1 cannot map the internal Postgres type "char" (OID 18) that the schema engine's catalog
// queries return (pg_constraint.contype etc. -> "Column type 'char' could not be deserialized"), and the engine then
// reads those columns as a Rust char. Report them as ColumnTypeEnum.Character (6) instead.
const CHARACTER = 6;
function patchQueryable(q) {
  const performIO = q.performIO.bind(q);
  const queryRaw = q.queryRaw;
  q.queryRaw = async (query) => {
    const res = await performIO(query);
    const charIdx = [];
    res.fields.forEach((f, i) => {
      if (f.dataTypeID === 18) {
        charIdx.push(i);
        f.dataTypeID = 25;
      }
    });
    const out = await queryRaw.call(Object.assign(Object.create(q), { performIO: async () => res }), query);
    for (const i of charIdx) out.columnTypes[i] = CHARACTER;
    return out;
  };
  if (q.startTransaction) {
    const start = q.startTransaction.bind(q);
    q.startTransaction = async (...a) => patchQueryable(await start(...a));
  }
  return q;
}
async function makeEngine(url) {
  // pass a config, not a pg.Pool: connectToShadowDb() clones this config (an external Pool leaves it empty)
  const factory = new PrismaPg({ connectionString: url, idleTimeoutMillis: 200 });
  const connect = factory.connect.bind(factory);
  const connectShadow = factory.connectToShadowDb.bind(factory);
  factory.connect = async () => {
    debug('[adapter] connect', url);
    return patchQueryable(await connect());
  };
  factory.connectToShadowDb = async () => {
    debug('[adapter] connectToShadowDb', url);
    return patchQueryable(await connectShadow());
  };
  const logs = [];
  const engine = await bg.SchemaEngine.new(
    { datamodels: schemaFiles.map((f) => [f.path, f.content]) },
    (m) => logs.push(m),
    bindMigrationAwareSqlAdapterFactory(factory),
  );
  return { engine, logs };
}
// IMPORTANT: the wasm engine replays the migration history for diff() into the database behind factory.connect()
// and then RESETS it. Never point that at the real database: give diff() its own throwaway database.
async function withShadowEngine(url, fn) {
  const name = `prisma_shadow_${crypto.randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  const u = new URL(url);
  u.pathname = `/${name}`;
  try {
    const { engine } = await makeEngine(u.toString());
    try {
      return await fn(engine);
    } finally {
      engine.free?.();
    }
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  }
}
const diffMigrationsToSchema = (engine) =>
  engine.diff({
    from: { tag: 'migrations', ...migrationsList() },
    to: { tag: 'schemaDatamodel', files: schemaFiles },
    script: true,
    exitCode: true,
    filters,
  });

const url = process.env.DATABASE_URL;
if (!url) throw new Error('DATABASE_URL is required');
const [cmd, name] = process.argv.slice(2);
const t0 = performance.now();
const ms = () => `${(performance.now() - t0).toFixed(0)}ms`;
try {
  if (cmd === 'deploy') {
    const { engine } = await makeEngine(url);
    const r = await engine.applyMigrations({ migrationsList: migrationsList(), filters });
    console.log(`applied: ${JSON.stringify(r.appliedMigrationNames)} in ${ms()}`);
  } else if (cmd === 'dev') {
    fs.mkdirSync(migrationsDir, { recursive: true });
    if (!fs.existsSync(lockPath))
      fs.writeFileSync(
        lockPath,
        '# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\nprovider = "postgresql"\n',
      );
    const d = await withShadowEngine(url, diffMigrationsToSchema);
    if (d.exitCode === 2 && d.stdout) {
      const dirName = `${new Date().toISOString().replace(/\D/g, '').slice(0, 14)}_${(name || 'migration').replace(/\W+/g, '_')}`;
      fs.mkdirSync(path.join(migrationsDir, dirName), { recursive: true });
      fs.writeFileSync(path.join(migrationsDir, dirName, 'migration.sql'), d.stdout);
      console.log(`created ${dirName}`);
    } else console.log('no schema changes');
    const { engine } = await makeEngine(url);
    const r = await engine.applyMigrations({ migrationsList: migrationsList(), filters });
    console.log(`applied: ${JSON.stringify(r.appliedMigrationNames)} in ${ms()}`);
  } else if (cmd === 'diff') {
    // exit code 2 + SQL on stdout when schema.prisma has changes not yet captured in a migration (CI drift check)
    const d = await withShadowEngine(url, diffMigrationsToSchema);
    if (d.stdout) console.log(d.stdout);
    console.error(`diff exit code ${d.exitCode} in ${ms()}`);
    process.exitCode = d.exitCode;
  } else if (cmd === 'status') {
    const { engine } = await makeEngine(url);
    console.log(
      JSON.stringify(
        await engine.diagnoseMigrationHistory({ migrationsList: migrationsList(), optInToShadowDatabase: false, filters }),
        null,
        2,
      ),
    );
  } else throw new Error(`unknown command ${cmd}`);
} catch (e) {
  console.error('migrate failed:', e?.message ?? e, globalThis.PRISMA_WASM_PANIC_REGISTRY.get());
  process.exitCode = 1;
}
process.exit(); // don't wait for idle pool connections
