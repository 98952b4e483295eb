// sqs-consumer, a consumer library used as applications use it, against the real binary: it
// long-polls, hands each message to the handler and deletes it when the handler resolves; a
// handler that throws has its message made visible again at once (terminateVisibilityTimeout)
// and receives it again.
import assert from "node:assert/strict";
import { test } from "node:test";
import { CreateQueueCommand, SendMessageBatchCommand } from "@aws-sdk/client-sqs";
import { Consumer } from "sqs-consumer";
import { useCorral, waitUntil } from "./support.mjs";

const corral = useCorral();

test("sqs-consumer handles every message once it succeeds, retrying one whose handler threw", async () => {
  const { QueueUrl } = await corral.client.send(new CreateQueueCommand({ QueueName: "consumed" }));
  const bodies = Array.from({ length: 12 }, (_, i) => `m${i}`);
  for (let i = 0; i < bodies.length; i += 10) {
    await corral.client.send(
      new SendMessageBatchCommand({
        QueueUrl,
        Entries: bodies.slice(i, i + 10).map((b) => ({ Id: b, MessageBody: b })),
      }),
    );
  }
  const handled = new Map();   // body -> the receive counts it was handled at
  let threw = false;
  const errors = [];
  const consumer = Consumer.create({
    queueUrl: QueueUrl,
    sqs: corral.client,
    batchSize: 5,
    waitTimeSeconds: 1,
    terminateVisibilityTimeout: true,
    messageSystemAttributeNames: ["ApproximateReceiveCount"],
    handleMessage: async (message) => {
      const seen = handled.get(message.Body) ?? [];
      seen.push(message.Attributes.ApproximateReceiveCount);
      handled.set(message.Body, seen);
      if (message.Body === "m3" && !threw) {
        threw = true;
        throw new Error("first try fails");
      }
      return message;
    },
  });
  consumer.on("error", (e) => errors.push(e));
  const processed = new Set();
  consumer.on("message_processed", (m) => processed.add(m.Body));
  consumer.start();
  try {
    await waitUntil(() => processed.size === bodies.length, "every message processed");
  } finally {
    consumer.stop({ abort: true });
  }
  assert.deepEqual(errors, []);
  assert.deepEqual(handled.get("m3"), ["1", "2"], "received again after the handler threw");
  for (const b of bodies.filter((x) => x !== "m3")) assert.deepEqual(handled.get(b), ["1"], b);
  await waitUntil(async () => {
    const { body } = await corral.api("GET", "/api/v1/jobs?queue=consumed&status=completed&limit=100");
    return body.jobs.length === bodies.length;
  }, "every message deleted (its job completed)");
});
