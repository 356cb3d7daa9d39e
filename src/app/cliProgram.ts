// The `aftershock` command line. Every command works on the same data as the server, running or not.
import path from 'node:path';
import { Command } from 'commander';
import { projectRoot } from '../config/config';
import { FolderImportError } from '../bundled/folderFiles';
import { importDirectory } from '../bundled/folderImport';
import { applyMigrations } from '../db/migrate';
import { registerExportCommands } from '../export/exportCommands';
import { registerFactorCommands } from '../factors/factorCommands';
import { registerGroupCommands } from '../groups/groupCommands';
import { registerBackfillCommand } from '../ingest/backfillCommand';
import { registerAddInstrumentCommand } from '../ingest/addInstrumentCommand';
import { registerInstrumentCommands } from '../instruments/instrumentCommands';
import { registerStudyCommands, registerStudyExportCommand } from '../studies/studyCommands';
import { registerShockCommands } from '../shocks/shockCommands';
import { CliError, withCliContext } from '../cli/cliContext';
import { registerIntradayCommand } from '../intraday/intradayCommands';

export function buildProgram(): Command {
  const program = new Command('aftershock')
    .description('When news hits, how hard did it move the market, and is that move unusual?')
    .showHelpAfterError()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });

  program
    .command('import')
    .description(
      'load a folder idempotently: the bundled format (data/market), or SYMBOL.csv bar files with optional instruments.csv and events.csv (README, "Importing your own data")',
    )
    .argument('[dir]', 'the folder', path.join(projectRoot, 'data', 'market'))
    .action(async (dir: string) => {
      await withCliContext(async ({ db, stdout }) => {
        let summary: unknown;
        try {
          summary = await importDirectory(db, path.resolve(dir));
        } catch (e) {
          if (e instanceof FolderImportError) throw new CliError(e.message, 1);
          throw e;
        }
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
  registerStudyCommands(program);
  registerStudyExportCommand(program);
  registerFactorCommands(program);
  registerShockCommands(program);
  registerIntradayCommand(program);

  return program;
}
