// Writes each ```ts block of README.md to dist-test/readme/example-N.ts, where
// tsconfig.readme.json type-checks them against the built package: an example that calls
// something that does not exist, or passes the wrong shape, fails the tests.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "dist-test", "readme");
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const readme = readFileSync(join(root, "README.md"), "utf8");
const blocks = [...readme.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((m) => m[1]);
if (blocks.length === 0) throw new Error("README.md has no ```ts examples");
blocks.forEach((code, i) => writeFileSync(join(out, `example-${i + 1}.ts`), code));
console.log(`README.md: ${blocks.length} TypeScript examples`);
