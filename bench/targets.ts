/** A performance target from the issues, with its measured figure and, where it matters, why it came out as it did. */
export interface Target {
  id: string;
  title: string;
  value: number;
  threshold: number;
  /** null when the figure could not be measured in this run (e.g. no real CrateDB). */
  met: boolean | null;
  /** Reasoning printed next to the figure, e.g. why a target cannot be met by construction of the measurement. */
  note: string | undefined;
}
