// `leadlift config`: prints the resolved configuration, URLs with passwords masked.

import type { Command } from 'commander';
import { redactUrl } from '../../db/index.js';
import type { CommandContext } from '../context.js';

export function registerConfig(program: Command, ctx: CommandContext): void {
  program
    .command('config')
    .summary('print the resolved configuration (flags > env > leadlift.config.json > defaults)')
    .description(
      'Loads and validates the configuration the way every command does and prints it, with passwords in URLs\n' +
        'masked. Use it to see which value is in force and why a config file is refused.',
    )
    .option('--print', 'print the configuration (the default action)')
    .action(async (_flags: unknown, cmd: Command) => {
      const config = await ctx.config(cmd);
      const shown = {
        ...config,
        sourceUrl: redactUrl(config.sourceUrl),
        ...(config.targetUrl ? { targetUrl: redactUrl(config.targetUrl) } : {}),
      };
      ctx.json(cmd, shown);
      ctx.say(cmd, JSON.stringify(shown, null, 2));
    });
}
