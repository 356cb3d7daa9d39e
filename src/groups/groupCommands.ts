// `aftershock groups list|show|create|add|remove|delete`: the same checks as /api/groups.
import type { Command } from 'commander';
import { CliError, cliErrorOf, withCliContext, type CliContext } from '../cli/cliContext';
import { AppError } from '../errors/appError';
import { slugParam, symbolParam } from '../http/validation';
import { changeGroup, createGroup, getGroup, presentGroup, removeGroup } from './groupWrites';
import { listGroups } from './groupStore';

function checked(kind: 'slug' | 'symbol', value: string): string {
  const parsed = (kind === 'slug' ? slugParam : symbolParam).safeParse(value);
  if (!parsed.success) throw new CliError(`${kind} ${JSON.stringify(value)}: ${parsed.error.issues[0].message}`, 2);
  return parsed.data;
}

const symbolsOf = (list: readonly string[]) =>
  list
    .flatMap((s) => s.split(','))
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => checked('symbol', s));

async function run(work: (ctx: CliContext) => Promise<unknown>): Promise<void> {
  await withCliContext(async (ctx) => {
    try {
      const out = await work(ctx);
      if (out !== undefined) ctx.stdout.write(`${JSON.stringify(out)}\n`);
    } catch (e) {
      if (e instanceof AppError) throw cliErrorOf(e);
      throw e;
    }
  });
}

export function registerGroupCommands(program: Command): void {
  const cmd = program.command('groups').description('named sets of instruments, the members of studies');
  cmd
    .command('list')
    .description('every group with its symbols (one JSON line each)')
    .action(() =>
      run(async (ctx) => {
        for (const g of await listGroups(ctx.db.pool)) ctx.stdout.write(`${JSON.stringify(presentGroup(g))}\n`);
      }),
    );
  cmd
    .command('show')
    .argument('<slug>')
    .description('one group as JSON')
    .action((slug: string) => run(async (ctx) => presentGroup(await getGroup(ctx.db.pool, checked('slug', slug)))));
  cmd
    .command('create')
    .argument('<slug>')
    .argument('[symbols...]', 'stored instruments (space- or comma-separated)')
    .requiredOption('--title <title>', 'what the group is')
    .option('--description <text>')
    .description('create a group')
    .action((slug: string, symbols: string[], opts: { title: string; description?: string }) =>
      run(async (ctx) =>
        presentGroup(
          await createGroup(ctx.db.pool, {
            slug: checked('slug', slug),
            title: opts.title,
            description: opts.description ?? null,
            symbols: symbolsOf(symbols),
          }),
        ),
      ),
    );
  cmd
    .command('add')
    .argument('<slug>')
    .argument('<symbols...>')
    .description('add symbols at the end of a group')
    .action((slug: string, symbols: string[]) =>
      run(async (ctx) => presentGroup(await changeGroup(ctx.db.pool, checked('slug', slug), { add: symbolsOf(symbols) }))),
    );
  cmd
    .command('remove')
    .argument('<slug>')
    .argument('<symbols...>')
    .description('remove symbols from a group')
    .action((slug: string, symbols: string[]) =>
      run(async (ctx) => presentGroup(await changeGroup(ctx.db.pool, checked('slug', slug), { remove: symbolsOf(symbols) }))),
    );
  cmd
    .command('delete')
    .argument('<slug>')
    .description('delete a group (its instruments stay)')
    .action((slug: string) =>
      run(async (ctx) => {
        await removeGroup(ctx.db.pool, checked('slug', slug));
        return { deleted: slug };
      }),
    );
}
