// Build the native shim(s) with gcc, then the single-file binary with `bun build --compile`.
//
//   bun scripts/build.ts                      -> build/host/*.so, dist/salvage
//   bun scripts/build.ts --target linux-arm64 -> build/linux-arm64/*.so, dist/salvage-linux-arm64
//   bun scripts/build.ts --shim-only          -> only the host shim (what `bun test` needs)
//
// Source code imports the shim from build/host/; for other targets a bundler plugin points
// that import at the target's own build, so the host shim used by tests is never touched.
import { $ } from "bun";
import { existsSync, mkdirSync, readdirSync, renameSync, symlinkSync } from "node:fs";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dir, "..");

interface Target {
  name: string;
  cc: string;
  ccPackage: string;
  bunTarget: string;
  /** musl-gcc ships no Linux kernel headers; borrow the system's (they are libc-independent). */
  kernelHeaders?: boolean;
}

const targets: Record<string, Target> = {
  "linux-x64": { name: "linux-x64", cc: "gcc", ccPackage: "gcc", bunTarget: "bun-linux-x64" },
  "linux-arm64": { name: "linux-arm64", cc: "aarch64-linux-gnu-gcc", ccPackage: "gcc-aarch64-linux-gnu", bunTarget: "bun-linux-arm64" },
  "linux-x64-musl": { name: "linux-x64-musl", cc: "musl-gcc", ccPackage: "musl-tools", bunTarget: "bun-linux-x64-musl", kernelHeaders: true },
};

const hostTarget = process.arch === "arm64" ? "linux-arm64" : "linux-x64";

/** Shared libraries to build: name -> C sources. csrc/sim/ is the LD_PRELOAD simulator, if present. */
function libraries(): Record<string, string[]> {
  const cFiles = (dir: string) =>
    existsSync(join(root, dir)) ? readdirSync(join(root, dir)).filter((f) => f.endsWith(".c")).sort().map((f) => join(root, dir, f)) : [];
  const libs: Record<string, string[]> = { "libsalvage.so": cFiles("csrc") };
  const sim = cFiles("csrc/sim");
  if (sim.length) libs["libsalvage-sim.so"] = sim;
  return libs;
}

async function buildShims(t: Target, outDir: string): Promise<void> {
  if (!Bun.which(t.cc)) fail(`${t.cc} not found: install the Debian package ${t.ccPackage}`);
  mkdirSync(outDir, { recursive: true });
  const includes = [`-I${join(root, "csrc")}`];
  if (t.kernelHeaders) includes.push(`-isystem${kernelHeaderDir(outDir)}`);
  for (const [lib, sources] of Object.entries(libraries())) {
    const extra = lib === "libsalvage-sim.so" ? ["-ldl"] : [];
    const out = join(outDir, lib);
    // Build to a temporary name and rename: a test that dlopens the library meanwhile
    // sees the old file or the new one, never half of one.
    const temp = `${out}.${process.pid}.tmp`;
    const r = await $`${t.cc} -O2 -g0 -Wall -Wextra -Werror -fPIC -shared ${includes} -o ${temp} ${sources} ${extra}`.nothrow().quiet();
    if (r.exitCode !== 0) fail(`${t.cc} failed for ${lib}:\n${r.stderr.toString()}`);
    renameSync(temp, out);
  }
}

/** A directory holding only linux/, asm/ and asm-generic/ from the system headers (linux-libc-dev). */
function kernelHeaderDir(outDir: string): string {
  const dir = join(outDir, "kernel-include");
  mkdirSync(dir, { recursive: true });
  const sources: Record<string, string> = {
    linux: "/usr/include/linux",
    "asm-generic": "/usr/include/asm-generic",
    asm: `/usr/include/${process.arch === "arm64" ? "aarch64" : "x86_64"}-linux-gnu/asm`,
  };
  for (const [name, from] of Object.entries(sources)) {
    if (!existsSync(from)) fail(`${from} not found: install the Debian package linux-libc-dev`);
    if (!existsSync(join(dir, name))) symlinkSync(from, join(dir, name));
  }
  return dir;
}

async function buildBinary(t: Target, shimDir: string, outfile: string): Promise<void> {
  const redirect = {
    name: "salvage-target-shim",
    setup(build: import("bun").PluginBuilder) {
      build.onResolve({ filter: /build\/host\/lib[\w-]+\.so$/ }, (args) => ({ path: join(shimDir, args.path.split("/").pop()!) }));
    },
  };
  const temp = `${outfile}.${process.pid}.tmp`;
  const result = await Bun.build({
    // The reader thread of src/io/read-pool.ts is a Worker: its script is embedded as a second entrypoint.
    entrypoints: [join(root, "src/main.ts"), join(root, "src/io/read-pool-worker.ts")],
    // Never read bunfig.toml or .env from the directory salvage is run in: a bunfig.toml can
    // preload any script and a .env can set any variable (docs/security.md). The other
    // autoloads (tsconfig.json, package.json) are off by default; say so anyway.
    compile: {
      target: t.bunTarget as never,
      outfile: temp,
      autoloadBunfig: false,
      autoloadDotenv: false,
      autoloadTsconfig: false,
      autoloadPackageJson: false,
    },
    minify: true,
    bytecode: true,
    format: "esm",
    plugins: t.name === hostTarget ? [] : [redirect],
  });
  if (!result.success) fail(`bun build failed:\n${result.logs.map(String).join("\n")}`);
  renameSync(temp, outfile);
}

function fail(message: string): never {
  console.error(`build: ${message}`);
  process.exit(1);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const ti = args.indexOf("--target");
  const name = ti >= 0 ? args[ti + 1] ?? "" : hostTarget;
  const t = targets[name];
  if (!t) fail(`unknown target '${name}'; known: ${Object.keys(targets).join(", ")}`);

  const hostDir = join(root, "build/host");
  // The host shim is always built: tests and `bun src/main.ts` load it directly.
  await buildShims(targets[hostTarget]!, hostDir);
  if (args.includes("--shim-only")) return;

  const shimDir = t.name === hostTarget ? hostDir : join(root, "build", t.name);
  if (shimDir !== hostDir) await buildShims(t, shimDir);
  const outfile = join(root, "dist", t.name === hostTarget ? "salvage" : `salvage-${t.name}`);
  await buildBinary(t, shimDir, outfile);
  console.log(`build: ${outfile}`);
}

await main();
