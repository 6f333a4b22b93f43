// One line of the fault suite's verdict (scripts/faults.ts): a figure, its value, what it must be, and why not.
export interface Invariant {
  figure: string;
  value: string;
  required: string;
  ok: boolean;
  /** Shown when it fails: which runs, calls or inputs. */
  why?: string[];
}
