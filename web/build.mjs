// Builds the dashboard into web/dist, the folder cmake/embed_web.cmake embeds into the corral
// binary: the TypeScript type-checked (tsc --noEmit), bundled and minified by esbuild into
// content-hashed files under assets/, an index.html that loads them (no inline script or style,
// so the server's Content-Security-Policy can forbid both), and a gzip copy of every file made
// here, once, rather than by the server at each request.
//
//   node build.mjs           the dashboard, into dist/
//   node build.mjs --tests   the unit tests (src/**/*.test.ts), into dist-tests/, for node --test
//
// The output is written beside dist/ and renamed over it at the end, so a failed or interrupted
// build never leaves a half-written dist/ for the embedding step to take.
import { build } from "esbuild";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, extname, join, relative } from "node:path";
import { gzipSync, constants } from "node:zlib";

const here = new URL(".", import.meta.url).pathname;
const src = join(here, "src");

function filesUnder(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

function typecheck() {
  const tsc = join(here, "node_modules", ".bin", "tsc");
  try {
    execFileSync(tsc, ["--noEmit", "-p", join(here, "tsconfig.json")], { stdio: "inherit" });
  } catch {
    console.error("web: the TypeScript does not type-check (tsc --noEmit); nothing was built");
    process.exit(1);
  }
}

async function buildTests() {
  const out = join(here, "dist-tests");
  rmSync(out, { recursive: true, force: true });
  const entryPoints = filesUnder(src).filter((f) => f.endsWith(".test.ts"));
  await build({
    entryPoints,
    outdir: out,
    outbase: src,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    outExtension: { ".js": ".mjs" },
    logLevel: "warning",
  });
}

// A short content hash for a file esbuild does not bundle (the icon).
function hashName(path) {
  const hash = createHash("sha256").update(readFileSync(path)).digest("hex").slice(0, 12);
  return `${basename(path, extname(path))}-${hash}${extname(path)}`;
}

async function buildApp() {
  const staging = join(here, "dist.new");
  rmSync(staging, { recursive: true, force: true });
  const result = await build({
    entryPoints: [join(src, "main.tsx")],
    outdir: join(staging, "assets"),
    entryNames: "[name]-[hash]",
    assetNames: "[name]-[hash]",
    bundle: true,
    minify: true,
    format: "esm",
    target: ["es2020", "chrome100", "firefox100", "safari15"],
    jsx: "automatic",
    jsxImportSource: "preact",
    metafile: true,
    legalComments: "none",
    logLevel: "warning",
  });
  const outputs = Object.keys(result.metafile.outputs).map((p) => relative(staging, p));
  const script = outputs.find((p) => p.endsWith(".js"));
  const style = outputs.find((p) => p.endsWith(".css"));
  const icon = `assets/${hashName(join(here, "public", "icon.svg"))}`;
  cpSync(join(here, "public", "icon.svg"), join(staging, icon));

  const template = readFileSync(join(here, "public", "index.html"), "utf8");
  const html = template.replaceAll("%SCRIPT%", `/${script}`).replaceAll("%STYLE%", `/${style}`).replaceAll("%ICON%", `/${icon}`);
  writeFileSync(join(staging, "index.html"), html);

  for (const file of filesUnder(staging)) {
    writeFileSync(`${file}.gz`, gzipSync(readFileSync(file), { level: constants.Z_BEST_COMPRESSION }));
  }
  const dist = join(here, "dist");
  rmSync(dist, { recursive: true, force: true });
  renameSync(staging, dist);
}

typecheck();
if (process.argv.includes("--tests")) {
  await buildTests();
} else {
  await buildApp();
}
