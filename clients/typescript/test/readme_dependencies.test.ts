// The README's dependencies and batches example, run as written (compiled from README.md by
// run_tests.sh) against the real server: what it prints is what its comments say.

import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { corralServer, kDeadlineMs } from "./support.js";

const env = corralServer();
const examples = join(dirname(fileURLToPath(import.meta.url)), "..", "readme-js");

describe("the README's dependencies and batches example", () => {
  test("prints a waiting fan-in and an active batch", async () => {
    const file = readdirSync(examples).find((f) => readFileSync(join(examples, f), "utf8").includes("getBatch("));
    assert.ok(file, "the README has a dependencies and batches example");
    const { stdout } = await promisify(execFile)(process.execPath, [join(examples, file)], {
      env: { ...process.env, CORRAL_URL: env.corral.url },
      timeout: kDeadlineMs,
    });
    assert.equal(stdout, "waiting 2\nactive 0 of 2\n");
  });
});
