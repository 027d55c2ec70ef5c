// Run one command and report its exit, output, time and peak memory as JSON on stdout.
// A process of its own, because getrusage's maxRSS for children is the largest child a
// process ever waited for: measured from the test runner, one big run would show in all.
//   bun measure-child.ts TIMEOUT_MS CWD ARGV...
const [timeout, cwd, ...argv] = process.argv.slice(2);
const t0 = performance.now();
const p = Bun.spawnSync(argv, {
  cwd: cwd || undefined,
  stdin: "ignore",
  env: { ...process.env, NO_COLOR: "1" },
  timeout: Number(timeout),
  killSignal: "SIGKILL",
});
process.stdout.write(
  JSON.stringify({
    code: p.exitCode,
    signal: p.signalCode ?? null,
    stdout: Buffer.from(p.stdout).toString("base64"),
    stderr: p.stderr.toString(),
    ms: performance.now() - t0,
    peak: p.resourceUsage?.maxRSS ?? 0,
  }),
);
