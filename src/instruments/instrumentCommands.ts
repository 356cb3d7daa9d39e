// `aftershock instruments list` (`instruments add` is ingest's: src/ingest/addInstrumentCommand.ts).
import type { Command } from 'commander';
import { withCliContext } from '../cli/cliContext';
import { presentInstrument } from './presentInstrument';
import { dailyBarCounts } from '../bars/dailyBarReads';
import { listInstruments } from './instrumentStore';

async function runList(): Promise<void> {
  await withCliContext(async (ctx) => {
    const instruments = await listInstruments(ctx.db.pool);
    const bars = await dailyBarCounts(ctx.db.pool);
    const list = instruments.map((i) => ({
      ...presentInstrument(i),
      bars: bars.get(i.symbol)?.bars ?? 0,
      lastBarDate: bars.get(i.symbol)?.last ?? null,
    }));
    if ((ctx.stdout as NodeJS.WriteStream).isTTY !== true) {
      for (const i of list) ctx.stdout.write(`${JSON.stringify(i)}\n`);
      return;
    }
    const header = ['symbol', 'name', 'exchange', 'currency', 'time zone', 'kind', 'benchmark', 'bars', 'last bar'];
    const table = [
      header,
      ...list.map((i) => [
        i.symbol,
        i.name,
        i.exchange,
        i.currency,
        i.timeZone,
        i.kind,
        i.benchmark ?? '-',
        String(i.bars),
        i.lastBarDate ?? '-',
      ]),
    ];
    const widths = header.map((_, c) => Math.max(...table.map((r) => r[c].length)));
    for (const r of table)
      ctx.stdout.write(
        `${r
          .map((cell, c) => cell.padEnd(widths[c]))
          .join('  ')
          .trimEnd()}\n`,
      );
  });
}

/** Registers `instruments list` and returns the `instruments` command for the other subcommands (`add`). */
export function registerInstrumentCommands(program: Command): Command {
  const cmd = program.command('instruments').description('the instruments Aftershock tracks');
  cmd
    .command('list')
    .description('every instrument with its stored bars (a table on a terminal, one JSON line each otherwise)')
    .action(() => runList());
  return cmd;
}
