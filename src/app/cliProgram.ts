// The `aftershock` command line. Every command works on the same data as the server, running or not.
import path from 'node:path';
import { Command } from 'commander';
import { projectRoot } from '../config/config';
import { importBundledData } from '../bundled/bundledImport';
import { applyMigrations } from '../db/migrate';
import { registerExportCommands } from '../export/exportCommands';
import { registerGroupCommands } from '../groups/groupCommands';
import { registerBackfillCommand } from '../ingest/backfillCommand';
import { registerAddInstrumentCommand } from '../ingest/addInstrumentCommand';
import { registerInstrumentCommands } from '../instruments/instrumentCommands';
import { withCliContext } from '../cli/cliContext';

export function buildProgram(): Command {
  const program = new Command('aftershock')
    .description('When news hits, how hard did it move the market, and is that move unusual?')
    .showHelpAfterError()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });

  program
    .command('import')
    .description('load a folder of bundled-format CSVs (daily bars per symbol, events.csv, shares_outstanding.csv), idempotently')
    .argument('[dir]', 'the folder', path.join(projectRoot, 'data', 'market'))
    .action(async (dir: string) => {
      await withCliContext(async ({ db, stdout }) => {
        const summary = await importBundledData(db, path.resolve(dir));
        stdout.write(`${JSON.stringify(summary)}\n`);
      });
    });

  const dbCmd = program.command('db').description('database maintenance');
  dbCmd
    .command('migrate')
    .description('apply pending migrations (also done on every start)')
    .action(async () => {
      await withCliContext(async ({ db, stdout }) => {
        // openDatabase already migrates; run again to report what is applied now
        const applied = await applyMigrations(db.pool);
        stdout.write(`${JSON.stringify({ applied, database: db.embedded ? 'embedded' : 'DATABASE_URL' })}\n`);
      });
    });

  registerExportCommands(program);
  registerAddInstrumentCommand(registerInstrumentCommands(program));
  registerBackfillCommand(program);
  registerGroupCommands(program);

  return program;
}
