// `aftershock factors import FILE...` (French's daily factor CSVs as published, plain or gzipped) and
// `aftershock factors list` (the vintages stored).
import path from 'node:path';
import type { Command } from 'commander';
import { CliError, withCliContext } from '../cli/cliContext';
import { importFactorFiles } from './factorImport';
import { listFactorVintages } from './factorStore';
import { FrenchCsvError } from './frenchCsv';

export function registerFactorCommands(program: Command): void {
  const factors = program.command('factors').description("Kenneth French's daily factor returns (the ff3, carhart and ff5 models)");
  factors
    .command('import')
    .description(
      "load French's daily factor CSVs exactly as his Data Library publishes them (F-F_Research_Data_Factors_daily.csv, F-F_Momentum_Factor_daily.csv, F-F_Research_Data_5_Factors_2x3_daily.csv, Europe_3_Factors_Daily.csv, Europe_5_Factors_Daily.csv, Developed_ex_US_5_Factors_Daily.csv; .gz too), recording each file's vintage; the newest vintage of a file is used from then on",
    )
    .argument('<files...>', 'the files')
    .action(async (files: string[]) => {
      await withCliContext(async ({ db, stdout }) => {
        try {
          const summary = await importFactorFiles(
            db,
            files.map((f) => path.resolve(f)),
          );
          stdout.write(`${JSON.stringify(summary)}\n`);
        } catch (e) {
          if (e instanceof FrenchCsvError) throw new CliError(e.message, 1);
          throw e;
        }
      });
    });
  factors
    .command('list')
    .description('the factor files stored: region, factor set, vintage, rows, first and last date')
    .action(async () => {
      await withCliContext(async ({ db, stdout }) => {
        for (const v of await listFactorVintages(db.pool)) stdout.write(`${JSON.stringify(v)}\n`);
      });
    });
}
