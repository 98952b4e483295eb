// The dashboard's whole bundle, as browsers download it (gzip), stays under 150 KB: it is embedded
// in the binary and loaded on every first visit. Reads the build's output in dist/.
import assert from "node:assert/strict";
import { readdirSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import { test } from "node:test";

const kBudgetBytes = 150 * 1024;
const dist = new URL("../dist", import.meta.url).pathname;

function filesUnder(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

test("the gzipped bundle is under 150 KB and every file has its gzip copy", () => {
  const files = filesUnder(dist);
  const plain = files.filter((f) => !f.endsWith(".gz") && !basename(f).startsWith("."));
  assert.ok(plain.some((f) => f.endsWith("index.html")), "dist/ holds index.html: run the build first");
  for (const f of plain) assert.ok(files.includes(`${f}.gz`), `${f} has a gzip copy`);
  const total = plain.reduce((sum, f) => sum + statSync(`${f}.gz`).size, 0);
  assert.ok(total < kBudgetBytes, `the bundle is ${total} bytes gzipped, over the budget of ${kBudgetBytes}`);
});

test("every asset but index.html has a content hash in its name", () => {
  const names = filesUnder(join(dist, "assets")).filter((f) => !f.endsWith(".gz"));
  assert.ok(names.length >= 3);
  for (const f of names) assert.match(f, /-[A-Za-z0-9]{8,}\.(js|css|svg)$/);
});
