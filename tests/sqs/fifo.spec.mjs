// FIFO queues through @aws-sdk/client-sqs against the real binary: the FIFO attributes, the
// errors SQS gives for what FIFO queues refuse, order within each group over interleaved groups,
// a group held back while one of its messages is in flight (and its message first again once
// visible), deduplication by id and by content, and the FIFO attributes of a received message.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
} from "@aws-sdk/client-sqs";
import { createHash } from "node:crypto";
import { useCorral, waitUntil } from "./support.mjs";

const corral = useCorral();

async function createQueue(name, attributes) {
  const { QueueUrl } = await corral.client.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
  return QueueUrl;
}

function send(url, group, body, extra = {}) {
  return corral.client.send(new SendMessageCommand({ QueueUrl: url, MessageGroupId: group, MessageBody: body, ...extra }));
}

async function receive(url, extra = {}) {
  const r = await corral.client.send(
    new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ["All"], ...extra }),
  );
  return r.Messages ?? [];
}

function remove(url, message) {
  return corral.client.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: message.ReceiptHandle }));
}

const rejectsWith = (name) => (e) => e.name === name && e.$metadata.httpStatusCode === 400;

describe("FIFO queues", () => {
  test("a .fifo queue needs FifoQueue true, shows its FIFO attributes and limits one message per group", async () => {
    await assert.rejects(createQueue("needs-attr.fifo"), rejectsWith("InvalidParameterValue"));
    await assert.rejects(createQueue("not-fifo-name", { FifoQueue: "true" }), rejectsWith("InvalidParameterValue"));
    await assert.rejects(createQueue("plain", { ContentBasedDeduplication: "true" }), rejectsWith("InvalidAttributeName"));
    await assert.rejects(
      createQueue("bad-scope.fifo", { FifoQueue: "true", DeduplicationScope: "everywhere" }),
      rejectsWith("InvalidAttributeValue"),
    );

    const url = await createQueue("attrs.fifo", { FifoQueue: "true", ContentBasedDeduplication: "true" });
    assert.equal(await createQueue("attrs.fifo", { FifoQueue: "true", ContentBasedDeduplication: "true" }), url);
    const { Attributes: a } = await corral.client.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["All"] }));
    assert.equal(a.FifoQueue, "true");
    assert.equal(a.ContentBasedDeduplication, "true");
    assert.equal(a.DeduplicationScope, "queue");
    assert.equal(a.FifoThroughputLimit, "perQueue");
    await corral.client.send(
      new SetQueueAttributesCommand({
        QueueUrl: url,
        Attributes: { DeduplicationScope: "messageGroup", FifoThroughputLimit: "perMessageGroupId" },
      }),
    );
    const { Attributes: b } = await corral.client.send(
      new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["DeduplicationScope", "FifoThroughputLimit"] }),
    );
    assert.deepEqual(b, { DeduplicationScope: "messageGroup", FifoThroughputLimit: "perMessageGroupId" });
    await assert.rejects(
      corral.client.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { FifoQueue: "false" } })),
      rejectsWith("InvalidAttributeValue"),
    );

    // A FIFO queue's dead-letter queue is a FIFO queue too.
    await createQueue("plain-dlq");
    await createQueue("fifo-dlq.fifo", { FifoQueue: "true" });
    const redrive = (target) => ({
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: `arn:aws:sqs:us-east-1:000000000000:${target}`, maxReceiveCount: 3 }),
    });
    await assert.rejects(
      corral.client.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: redrive("plain-dlq") })),
      rejectsWith("InvalidParameterValue"),
    );
    await corral.client.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: redrive("fifo-dlq.fifo") }));

    // On Corral's side: the queue of that name, with max_running_per_key 1.
    const queues = await corral.api("GET", "/api/v1/queues");
    assert.equal(queues.status, 200);
    const queue = queues.body.queues.find((q) => q.name === "attrs.fifo");
    assert.equal(queue?.max_running_per_key, 1);
  });

  test("a send needs a group, a deduplication id or content-based deduplication, and no DelaySeconds of its own", async () => {
    const url = await createQueue("rules.fifo", { FifoQueue: "true" });
    await assert.rejects(
      corral.client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "x", MessageDeduplicationId: "d" })),
      rejectsWith("MissingParameter"),
    );
    await assert.rejects(send(url, "g", "x"), rejectsWith("InvalidParameterValue"));
    await assert.rejects(send(url, "g", "x", { MessageDeduplicationId: "d", DelaySeconds: 5 }), rejectsWith("InvalidParameterValue"));
    const plain = await createQueue("rules-plain");
    await assert.rejects(
      corral.client.send(new SendMessageCommand({ QueueUrl: plain, MessageBody: "x", MessageDeduplicationId: "d" })),
      rejectsWith("InvalidParameterValue"),
    );
  });

  test("each group's messages are received in the order sent, over interleaved groups", async () => {
    const url = await createQueue("order.fifo", { FifoQueue: "true", ContentBasedDeduplication: "true" });
    const groups = ["red", "green", "blue"];
    const kPerGroup = 6;
    const sent = [];
    // Rounds interleave the groups: single sends, then a batch holding every group once.
    for (let i = 0; i < kPerGroup; i += 2) {
      for (const g of groups) {
        const r = await send(url, g, `${g}-${i}`);
        sent.push({ group: g, body: `${g}-${i}`, seq: BigInt(r.SequenceNumber) });
      }
      const entries = groups.map((g, k) => ({ Id: `e${k}`, MessageGroupId: g, MessageBody: `${g}-${i + 1}` }));
      const batch = await corral.client.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: entries }));
      assert.equal(batch.Successful.length, groups.length);
      for (const ok of batch.Successful) {
        const entry = entries.find((e) => e.Id === ok.Id);
        sent.push({ group: entry.MessageGroupId, body: entry.MessageBody, seq: BigInt(ok.SequenceNumber) });
      }
    }
    for (let i = 1; i < sent.length; ++i) assert.ok(sent[i].seq > sent[i - 1].seq, "sequence numbers grow");

    const received = Object.fromEntries(groups.map((g) => [g, []]));
    let total = 0;
    await waitUntil(async () => {
      const messages = await receive(url);
      const seen = new Set();
      for (const m of messages) {
        const g = m.Attributes.MessageGroupId;
        assert.ok(!seen.has(g), `one message of group ${g} at a time`);
        seen.add(g);
        received[g].push(m.Body);
        await remove(url, m);
      }
      total += messages.length;
      return total >= sent.length;
    }, "every message");
    for (const g of groups) {
      assert.deepEqual(received[g], Array.from({ length: kPerGroup }, (_, i) => `${g}-${i}`));
    }
  });

  test("a group with a message in flight gives nothing more while other groups flow; its message comes first again", async () => {
    const url = await createQueue("inflight.fifo", { FifoQueue: "true", ContentBasedDeduplication: "true" });
    await send(url, "a", "a1");
    await send(url, "a", "a2");
    await send(url, "b", "b1");
    const first = await receive(url);
    assert.deepEqual(first.map((m) => m.Body), ["a1", "b1"]);
    const [a1, b1] = first;
    assert.deepEqual(await receive(url), [], "both groups are in flight");

    await remove(url, b1);
    await send(url, "b", "b2");
    assert.deepEqual((await receive(url)).map((m) => m.Body), ["b2"], "group b flows while a1 is in flight");

    // Visible again at once: a1 comes back, not a2.
    await corral.client.send(new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: a1.ReceiptHandle, VisibilityTimeout: 0 }));
    const again = await receive(url, { WaitTimeSeconds: 10, VisibilityTimeout: 1 });
    assert.deepEqual(again.map((m) => m.Body), ["a1"]);
    assert.equal(again[0].Attributes.ApproximateReceiveCount, "2");

    // Its visibility timeout running out: a1 once more, still ahead of a2.
    const third = await receive(url, { WaitTimeSeconds: 20 });
    assert.deepEqual(third.map((m) => m.Body), ["a1"]);
    assert.equal(third[0].Attributes.ApproximateReceiveCount, "3");
    await remove(url, third[0]);
    assert.deepEqual((await receive(url, { WaitTimeSeconds: 10 })).map((m) => m.Body), ["a2"]);
  });

  test("a duplicate within the window returns the first message and creates nothing, by id and by content", async () => {
    const byId = await createQueue("dedup-id.fifo", { FifoQueue: "true" });
    const one = await send(byId, "g", "first", { MessageDeduplicationId: "order-1" });
    const dup = await send(byId, "g", "second", { MessageDeduplicationId: "order-1" });
    assert.equal(dup.MessageId, one.MessageId);
    assert.equal(dup.SequenceNumber, one.SequenceNumber);
    const other = await send(byId, "g", "first", { MessageDeduplicationId: "order-2" });
    assert.notEqual(other.MessageId, one.MessageId);

    const [m] = await receive(byId, { MessageSystemAttributeNames: ["MessageGroupId", "MessageDeduplicationId", "SequenceNumber"] });
    assert.equal(m.Body, "first");
    assert.deepEqual(m.Attributes, { MessageGroupId: "g", MessageDeduplicationId: "order-1", SequenceNumber: one.SequenceNumber });
    await remove(byId, m);
    // Deleted, it still deduplicates within the window.
    assert.equal((await send(byId, "g", "third", { MessageDeduplicationId: "order-1" })).MessageId, one.MessageId);
    const [next] = await receive(byId);
    assert.equal(next.Body, "first");
    assert.equal(next.MessageId, other.MessageId);

    const byContent = await createQueue("dedup-body.fifo", { FifoQueue: "true", ContentBasedDeduplication: "true" });
    const a = await send(byContent, "g", "same body");
    assert.equal((await send(byContent, "h", "same body")).MessageId, a.MessageId, "the queue is the scope, not the group");
    const b = await send(byContent, "g", "other body");
    assert.notEqual(b.MessageId, a.MessageId);
    const c = await send(byContent, "g", "same body", { MessageDeduplicationId: "explicit" });
    assert.notEqual(c.MessageId, a.MessageId, "an explicit id wins over the content");
    const batch = await corral.client.send(
      new SendMessageBatchCommand({
        QueueUrl: byContent,
        Entries: [
          { Id: "x", MessageGroupId: "g", MessageBody: "same body" },
          { Id: "y", MessageGroupId: "g", MessageBody: "batch body" },
          { Id: "z", MessageGroupId: "g", MessageBody: "batch body" },
        ],
      }),
    );
    const ids = Object.fromEntries(batch.Successful.map((e) => [e.Id, e.MessageId]));
    assert.equal(ids.x, a.MessageId);
    assert.equal(ids.z, ids.y);

    const got = [];
    await waitUntil(async () => {
      for (const msg of await receive(byContent)) {
        got.push(msg);
        await remove(byContent, msg);
      }
      return got.length >= 4;
    }, "the four distinct messages");
    assert.deepEqual(got.map((msg) => msg.Body), ["same body", "other body", "same body", "batch body"]);
    assert.equal(got[0].Attributes.MessageDeduplicationId, createHash("sha256").update("same body").digest("hex"));
    assert.deepEqual(await receive(byContent), []);
  });

  test("with DeduplicationScope messageGroup an id is deduplicated within its group only", async () => {
    const url = await createQueue("dedup-group.fifo", { FifoQueue: "true", DeduplicationScope: "messageGroup" });
    const a = await send(url, "g", "x", { MessageDeduplicationId: "same" });
    const b = await send(url, "h", "x", { MessageDeduplicationId: "same" });
    assert.notEqual(b.MessageId, a.MessageId);
    assert.equal((await send(url, "g", "y", { MessageDeduplicationId: "same" })).MessageId, a.MessageId);
  });
});
