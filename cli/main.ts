// `cloud-release`: the project's command line (bin/cloud-release.js, `npm run cli -- …`). One file per command
// or group in cli/commands/; a new command (audit, batch, sweep…) is one more entry in COMMANDS.
import { Command, CommanderError } from 'commander';
import * as approvals from './commands/steer';
import * as audit from './commands/audit';
import * as batch from './commands/batch';
import * as list from './commands/list';
import * as plan from './commands/plan';
import * as release from './commands/release';
import * as schedule from './commands/schedule';
import * as show from './commands/show';
import * as sweep from './commands/sweep';
import * as watch from './commands/watch';
import { CliError, EXIT_CODES_HELP, ExitCode } from './exit-codes';

const COMMANDS: { register(program: Command): void }[] = [plan, release, watch, approvals, list, show, audit, batch, sweep, schedule];

export function buildProgram(): Command {
  const program = new Command('cloud-release')
    .description(
      'Release cloud resources through the releaseResource workflow. Connects like the worker: TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, ' +
        'TEMPORAL_PROFILE / TEMPORAL_CONFIG_FILE; starts releases on CLOUD_RELEASE_TASK_QUEUE (default cloud-release).',
    )
    .option('--json', 'machine output only on stdout: one JSON document, or one JSON line per event (watch)')
    .addHelpText('after', `\n${EXIT_CODES_HELP}`)
    .showHelpAfterError('(add --help for usage)')
    .exitOverride();
  // Subcommands inherit exitOverride, help-after-error and the output settings from here.
  for (const c of COMMANDS) c.register(program);
  return program;
}

/** Run the CLI; sets process.exitCode (never calls process.exit, so output is flushed). */
export async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (err) {
    process.exitCode = report(err, argv.includes('--json'));
  }
}

function report(err: unknown, json: boolean): number {
  if (err instanceof CommanderError) {
    // Commander has printed the help or the usage error already; help is an answer (its exit code 0), not an error.
    return err.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
  }
  const code = err instanceof CliError ? err.exitCode : ExitCode.error;
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`cloud-release: ${message}\n`);
  if (json) process.stdout.write(`${JSON.stringify({ error: { message, exitCode: code, ...(err instanceof CliError ? err.details : {}) } })}\n`);
  return code;
}

if (require.main === module) void main(process.argv);
