// The JSON input of the fleet commands (`-f` a file, "-" for stdin) and the domain validators' field errors,
// said the CLI's way: exit 2, every wrong field named, nothing started or sent.
import { readFileSync } from 'node:fs';
import type { FieldError } from '../domain/limits';
import { CliError, ExitCode } from './exit-codes';

/** The parsed JSON of a file (or stdin); an unreadable file or bad JSON exits 2. */
export function readJsonFile(path: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(path === '-' ? 0 : path, 'utf8');
  } catch (err) {
    throw new CliError(`cannot read the ${what} file ${path}: ${(err as Error).message}`, ExitCode.usage);
  }
  return parseJson(text, path === '-' ? 'stdin' : path);
}

/** JSON from `from` (a file, stdin, a flag's value); bad JSON exits 2. */
export function parseJson(text: string, from: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new CliError(`${from} is not valid JSON: ${(err as Error).message}`, ExitCode.usage);
  }
}

/** Field errors as the error that ends the command (`flags`: payload field → the flag that sets it). */
export function invalid(what: string, errors: readonly FieldError[], nothing: string, flags: Record<string, string> = {}): CliError {
  const lines = errors.map((e) => `  ${e.field}: ${e.message}${flags[e.field] ? ` (${flags[e.field]})` : ''}`);
  return new CliError(`invalid ${what}, ${nothing}:\n${lines.join('\n')}`, ExitCode.usage, { errors });
}
