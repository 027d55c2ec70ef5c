// Single keys from the terminal during a long job (`m` toggles the live map), read in raw
// mode only when stdin is a terminal. Raw mode turns off the terminal's own Ctrl-C, so the
// byte is turned back into the SIGINT it would have been (stop-signals.ts does the rest),
// and the terminal's mode is restored however the job ends: dispose(), process exit, or a
// fatal signal that still lets handlers run.
export interface KeyStream {
  isTTY?: boolean;
  setRawMode?(on: boolean): unknown;
  on(event: "data", f: (d: Buffer | string) => void): unknown;
  off(event: "data", f: (d: Buffer | string) => void): unknown;
  resume(): unknown;
  pause(): unknown;
}

import { readFileSync } from "node:fs";

/**
 * Whether this process is in the terminal's foreground process group. A job started with
 * `&` is not: changing the terminal's mode from there stops it (SIGTTOU), and would steal
 * the shell's terminal anyway. Linux: /proc/self/stat's pgrp and tpgid fields.
 */
export function inForeground(stat = () => readFileSync("/proc/self/stat", "latin1")): boolean {
  try {
    const text = stat();
    // After the command name in parentheses: state ppid pgrp session tty_nr tpgid ...
    const f = text.slice(text.lastIndexOf(")") + 2).split(" ");
    return f[2] === f[5];
  } catch {
    return false;
  }
}

const CTRL_C = "\x03";
const CTRL_BACKSLASH = "\x1c";
const CTRL_Z = "\x1a";

export class TerminalKeys {
  private active = false;
  private readonly onData = (d: Buffer | string) => {
    for (const ch of String(d)) {
      if (ch === CTRL_C) process.kill(process.pid, "SIGINT");
      else if (ch === CTRL_BACKSLASH) {
        // SIGQUIT ends the process without handlers: give the terminal back first.
        this.dispose();
        process.kill(process.pid, "SIGQUIT");
      } else if (ch === CTRL_Z) {
        // Suspend as the terminal would; raw mode comes back on `fg` (onContinue).
        this.input.setRawMode?.(false);
        process.kill(process.pid, "SIGTSTP");
      } else this.onKey(ch);
    }
  };
  private readonly restore = () => this.dispose();
  /** Back from a suspension: raw again, unless the job now runs in the background (`bg`). */
  private readonly onContinue = () => {
    if (this.active && inForeground()) this.input.setRawMode?.(true);
  };

  constructor(
    private readonly onKey: (key: string) => void,
    private readonly input: KeyStream = process.stdin as unknown as KeyStream,
  ) {
    if (!input.isTTY || !input.setRawMode || !inForeground()) return;
    input.setRawMode(true);
    input.on("data", this.onData);
    input.resume();
    this.active = true;
    process.once("exit", this.restore);
    process.on("SIGCONT", this.onContinue);
  }

  get listening(): boolean {
    return this.active;
  }

  dispose(): void {
    if (!this.active) return;
    this.active = false;
    process.off("exit", this.restore);
    process.off("SIGCONT", this.onContinue);
    this.input.off("data", this.onData);
    this.input.setRawMode?.(false);
    // Paused, stdin no longer keeps the process alive.
    this.input.pause();
  }
}
