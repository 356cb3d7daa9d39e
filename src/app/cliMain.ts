// Entry point of the `aftershock` binary (bin/aftershock.js runs the bundle of this file).
import { CliError } from '../cli/cliContext';
import { buildProgram } from './cliProgram';

buildProgram()
  .parseAsync(process.argv)
  .catch((e: unknown) => {
    const err = e as Error;
    process.stderr.write(`aftershock: ${err.message}\n`);
    process.exit(e instanceof CliError ? e.exitCode : 1);
  });
