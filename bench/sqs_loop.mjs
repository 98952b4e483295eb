// Send-receive-delete through @aws-sdk/client-sqs beside the same loop on Corral's own API, on
// one fresh embedded server each, side by side:
//
//   node bench/sqs_loop.mjs CORRAL_BINARY [MESSAGES] [WORKERS]
//
// Each of WORKERS loops (default 8) repeats, until MESSAGES (default 5,000) have gone round in
// all: send one message, receive one, delete it. Over SQS: SendMessage, ReceiveMessage,
// DeleteMessage. Over the API: POST /api/v1/jobs, POST /api/v1/fetch, POST
// /api/v1/jobs/{id}/complete. Prints each side's messages per second. The SDK comes from
// tests/sqs (bash tests/sqs/run.sh installs it). Bounded: every run stops after 300 s.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, "..", "tests", "sqs", "package.json"));
const { SQSClient, CreateQueueCommand, SendMessageCommand, ReceiveMessageCommand, DeleteMessageCommand } =
  require("@aws-sdk/client-sqs");

const [binary, messagesArg, workersArg] = process.argv.slice(2);
if (!binary) throw new Error("usage: node bench/sqs_loop.mjs CORRAL_BINARY [MESSAGES] [WORKERS]");
const messages = Number(messagesArg ?? 5000);
const workers = Number(workersArg ?? 8);
const kRunLimitMs = 300_000;

async function withServer(fn) {
  const dir = mkdtempSync(join(tmpdir(), "corral-sqs-bench-"));
  const child = spawn(binary, ["server", "--listen", "127.0.0.1:0", "--db", `sqlite:${join(dir, "corral.db")}`],
                      { stdio: ["ignore", "pipe", "pipe"] });
  try {
    const port = await new Promise((resolve, reject) => {
      let log = "";
      const timer = setTimeout(() => reject(new Error(`no listen line:\n${log}`)), 10_000);
      const read = (chunk) => {
        log += chunk;
        const m = /listening on 127\.0\.0\.1:(\d+)/.exec(log);
        if (m) { clearTimeout(timer); resolve(Number(m[1])); }
      };
      child.stdout.on("data", read);
      child.stderr.on("data", read);
    });
    return await fn(`http://127.0.0.1:${port}`);
  } finally {
    child.kill("SIGTERM");
    await new Promise((r) => child.on("exit", r));
    rmSync(dir, { recursive: true, force: true });
  }
}

// Runs `once` from `workers` loops until `messages` have gone round; messages per second.
async function drive(once) {
  let left = messages;
  const deadline = Date.now() + kRunLimitMs;
  const began = process.hrtime.bigint();
  await Promise.all(Array.from({ length: workers }, async (_, w) => {
    while (left > 0 && Date.now() < deadline) {
      left -= 1;
      await once(w);
    }
  }));
  if (left > 0) throw new Error("the run did not finish within its time limit");
  return messages / (Number(process.hrtime.bigint() - began) / 1e9);
}

async function sqsSide(url) {
  const sqs = new SQSClient({ endpoint: url, region: "us-east-1", credentials: { accessKeyId: "b", secretAccessKey: "b" } });
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: "bench" }));
  const rate = await drive(async () => {
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "x" }));
    const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 5 }));
    for (const m of r.Messages ?? []) await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: m.ReceiptHandle }));
  });
  sqs.destroy();
  return rate;
}

async function apiSide(url) {
  const post = async (path, body) => {
    const res = await fetch(url + path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
    return res.json();
  };
  return drive(async (w) => {
    await post("/api/v1/jobs", { type: "sqs.message", queue: "bench", payload: "x" });
    const { jobs } = await post("/api/v1/fetch", { queues: ["bench"], worker_id: `w${w}`, wait_s: 5 });
    for (const j of jobs) await post(`/api/v1/jobs/${j.id}/complete`, { lease_token: j.lease_token });
  });
}

const sqsRate = await withServer(sqsSide);
const apiRate = await withServer(apiSide);
console.log(`messages=${messages} workers=${workers}`);
console.log(`@aws-sdk/client-sqs send+receive+delete: ${sqsRate.toFixed(0)} messages/s`);
console.log(`Corral API enqueue+fetch+complete:      ${apiRate.toFixed(0)} messages/s`);
