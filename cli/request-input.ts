// The release request of `release` and `plan`: a JSON file (--input-file, as examples/*.json), inline JSON
// (--input) and/or one flag per field (flags win over the file). Checked by the project's own validation
// (activities/validate-request.ts) before anything is started; its field errors name the flag to fix.
import { Option, type Command } from 'commander';
import { validateReleaseRequest } from '../activities/validate-request';
import type { FieldError, ReleaseRequest } from '../domain/request';
import { CliError, ExitCode } from './exit-codes';
import { parseJson, readJsonFile } from './json-input';

interface FieldFlag {
  flags: string;
  /** Dotted path in the request. */
  field: string;
  help: string;
  /** From the flag's text to the field's value (default: the text). */
  parse?: (text: string) => unknown;
  /** The value of a flag that takes no argument. */
  value?: unknown;
}

/** Numbers as numbers; anything else goes through unchanged, so the validation names the field and its type. */
const numeric = (text: string): unknown => (/^\d+$/.test(text) ? Number(text) : text);

const FIELD_FLAGS: FieldFlag[] = [
  { flags: '--provider <provider>', field: 'provider', help: 'huawei, alibaba or baidu' },
  { flags: '--kind <kind>', field: 'kind', help: 'modelarts-node, modelarts-supernode, modelarts-rack, dcc-host, ecs-instance, bcc-instance' },
  { flags: '--region <region>', field: 'region', help: 'the provider region ID, e.g. cn-hangzhou, bj, cn-southwest-2' },
  { flags: '--project-id <id>', field: 'projectId', help: 'Huawei only: the project ID of the region' },
  { flags: '--id <resourceId>', field: 'resourceId', help: "the provider's resource ID" },
  { flags: '--requested-by <who>', field: 'requestedBy', help: 'who asks for the release' },
  { flags: '--ticket <ticket>', field: 'ticket', help: 'the change ticket' },
  { flags: '--reason <text>', field: 'reason', help: 'free text' },
  { flags: '--no-backup', field: 'backup.required', help: 'do not wait for a backup confirmation', value: false },
  { flags: '--confirm-within <duration>', field: 'backup.confirmWithin', help: 'how long to wait for the backup confirmation, e.g. 30m, 24h, 3d' },
  { flags: '--stop-if-running', field: 'options.stopIfRunning', help: 'stop a running instance first (Alibaba)', value: true },
  { flags: '--data-disks <policy>', field: 'options.retainedDataDisks', help: 'keep or delete the data disks the provider would leave behind' },
  { flags: '--snapshots <policy>', field: 'options.retainedSnapshots', help: 'keep or delete the snapshots the provider would leave behind' },
  { flags: '--override-protection', field: 'options.overrideProtectionTag', help: 'release despite the protection tag (needs an approval)', value: true },
  { flags: '--approve-within <duration>', field: 'options.approveOverrideWithin', help: 'how long to wait for the override approval' },
  { flags: '--wait-gone-within <duration>', field: 'options.waitGoneWithin', help: 'how long to watch for the resource to be gone' },
  { flags: '--drain-deadline <duration>', field: 'drain.deadline', help: 'DCC hosts: give up draining after' },
  { flags: '--drain-failure-budget <n>', field: 'drain.failureBudget', help: 'DCC hosts: how many VMs may fail', parse: numeric },
];

const optionOf = (f: FieldFlag) => new Option(f.flags, f.help);

/** Add --input-file, --input and every field flag to a command. */
export function addRequestOptions(cmd: Command): Command {
  cmd.option('-f, --input-file <path>', 'the request as a JSON file, like examples/*.json ("-" for stdin)');
  cmd.option('--input <json>', 'the request as inline JSON');
  for (const f of FIELD_FLAGS) cmd.addOption(optionOf(f));
  return cmd;
}

/** The request from the command's options, validated: field errors end the command with exit code 2. */
export function requestFrom(cmd: Command, overrides: Partial<ReleaseRequest> = {}): ReleaseRequest {
  const opts = cmd.opts<{ inputFile?: string; input?: string }>();
  if (opts.inputFile !== undefined && opts.input !== undefined) throw new CliError('give the request with --input-file or --input, not both', ExitCode.usage);
  const base = opts.inputFile !== undefined ? readJsonFile(opts.inputFile, 'request') : opts.input !== undefined ? parseJson(opts.input, '--input') : {};
  if (typeof base !== 'object' || base === null || Array.isArray(base)) {
    throw invalid([{ field: '(input)', message: 'expected one JSON object with the release request' }]);
  }
  const request = base as Record<string, unknown>;
  for (const f of FIELD_FLAGS) {
    const name = optionOf(f).attributeName();
    // Only what was typed: a negatable flag's default (--no-backup: true) must not override the file.
    if (cmd.getOptionValueSource(name) !== 'cli') continue;
    const raw = cmd.getOptionValue(name) as unknown;
    setPath(request, f.field, f.value !== undefined ? f.value : f.parse ? f.parse(String(raw)) : raw);
  }
  Object.assign(request, overrides);
  const validation = validateReleaseRequest(request);
  if (!validation.ok) throw invalid(validation.errors);
  return request as unknown as ReleaseRequest;
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let at = target;
  for (const key of keys.slice(0, -1)) {
    const next = at[key];
    // A non-object in the file (e.g. "backup": 3) is replaced: the flag says what the field is to be.
    const child: Record<string, unknown> = typeof next === 'object' && next !== null && !Array.isArray(next) ? { ...next } : {};
    at[key] = child;
    at = child;
  }
  at[keys[keys.length - 1]] = value;
}

function invalid(errors: FieldError[]): CliError {
  const flagOf = (field: string) => FIELD_FLAGS.find((f) => f.field === field)?.flags.split(' ')[0];
  const lines = errors.map((e) => {
    const flag = flagOf(e.field);
    return `  ${e.field}: ${e.message}${flag ? ` (${flag})` : ''}`;
  });
  return new CliError(`invalid release request, nothing was started:\n${lines.join('\n')}`, ExitCode.usage, { errors });
}
