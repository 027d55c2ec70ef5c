// The comment header ddrescue writes at the top of a mapfile.
export interface MapfileHeader {
  program: string;
  commandLine: string;
  startTime: Date;
  currentTime?: Date;
  /** The phase message ddrescue keeps in the header, e.g. "Finished". */
  message?: string;
}

/** "YYYY-MM-DD HH:MM:SS" in local time, as ddrescue prints it. */
export function formatTime(d: Date): string {
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}
