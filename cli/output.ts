// Where a command's answer goes: human-readable text on stdout by default; with --json, machine output only
// on stdout (one JSON document, or one JSON line per event) and any human note on stderr.
export class Output {
  constructor(readonly json: boolean) {}

  /** The command's answer: `human` lines, or `machine` as one JSON line. */
  result(human: string | string[], machine: unknown): void {
    if (this.json) process.stdout.write(`${JSON.stringify(machine)}\n`);
    else process.stdout.write(`${(Array.isArray(human) ? human : [human]).join('\n')}\n`);
  }

  /** A note for people (what was started, what to do next): stdout in human mode, stderr with --json. */
  note(line: string): void {
    (this.json ? process.stderr : process.stdout).write(`${line}\n`);
  }
}
