// @aws-sdk/client-sqs (AWS JSON 1.0 protocol) against the real binary: every supported action as
// an application uses it, the SDK's own MD5 checks of bodies and attributes passing, SQS's errors
// as the SDK's exception classes, and messages crossing between SQS and Corral's own API.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  AddPermissionCommand,
  ChangeMessageVisibilityBatchCommand,
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListDeadLetterSourceQueuesCommand,
  ListQueueTagsCommand,
  ListQueuesCommand,
  PurgeQueueCommand,
  QueueDoesNotExist,
  QueueNameExists,
  ReceiptHandleIsInvalid,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
  TagQueueCommand,
  TooManyEntriesInBatchRequest,
  UnsupportedOperation,
  UntagQueueCommand,
} from "@aws-sdk/client-sqs";
import { useCorral, waitUntil } from "./support.mjs";

const corral = useCorral();

async function createQueue(name, attributes) {
  const { QueueUrl } = await corral.client.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
  return QueueUrl;
}

async function receiveAll(url, n, extra = {}) {
  const got = [];
  await waitUntil(async () => {
    const r = await corral.client.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, ...extra }));
    got.push(...(r.Messages ?? []));
    return got.length >= n;
  }, `${n} messages from ${url}`);
  return got;
}

async function parkedLongPolls() {
  const text = await (await fetch(`${corral.url}/metrics`)).text();
  return Number(/^corral_long_polls_parked (\d+)/m.exec(text)?.[1] ?? 0);
}

describe("queues", () => {
  test("CreateQueue gives a URL of the account and name, and is idempotent with the same attributes", async () => {
    const url = await createQueue("orders", { VisibilityTimeout: "45" });
    assert.equal(url, `${corral.url}/000000000000/orders`);
    assert.equal(await createQueue("orders", { VisibilityTimeout: "45" }), url);
    assert.equal(await createQueue("orders"), url, "no attributes: the queue as it is");
    await assert.rejects(createQueue("orders", { VisibilityTimeout: "46" }), QueueNameExists);
    const { QueueUrl } = await corral.client.send(new GetQueueUrlCommand({ QueueName: "orders" }));
    assert.equal(QueueUrl, url);
  });

  test("a queue that was never created does not exist", async () => {
    await assert.rejects(corral.client.send(new GetQueueUrlCommand({ QueueName: "nope" })), QueueDoesNotExist);
    await assert.rejects(
      corral.client.send(new SendMessageCommand({ QueueUrl: `${corral.url}/000000000000/nope`, MessageBody: "x" })),
      (e) => e instanceof QueueDoesNotExist && e.$metadata.httpStatusCode === 400,
    );
  });

  test("attributes round trip, with the ARN and the counts", async () => {
    const url = await createQueue("attrs", { DelaySeconds: "0", MessageRetentionPeriod: "86400" });
    await corral.client.send(
      new SetQueueAttributesCommand({
        QueueUrl: url,
        Attributes: { VisibilityTimeout: "120", ReceiveMessageWaitTimeSeconds: "2", MaximumMessageSize: "2048" },
      }),
    );
    await corral.client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "visible" }));
    await corral.client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "delayed", DelaySeconds: 600 }));
    const { Attributes: a } = await corral.client.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["All"] }));
    assert.equal(a.VisibilityTimeout, "120");
    assert.equal(a.ReceiveMessageWaitTimeSeconds, "2");
    assert.equal(a.MaximumMessageSize, "2048");
    assert.equal(a.MessageRetentionPeriod, "86400");
    assert.equal(a.DelaySeconds, "0");
    assert.equal(a.QueueArn, "arn:aws:sqs:us-east-1:000000000000:attrs");
    assert.equal(a.ApproximateNumberOfMessages, "1");
    assert.equal(a.ApproximateNumberOfMessagesDelayed, "1");
    assert.equal(a.ApproximateNumberOfMessagesNotVisible, "0");
    const { Attributes: one } = await corral.client.send(
      new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["VisibilityTimeout"] }),
    );
    assert.deepEqual(one, { VisibilityTimeout: "120" });
    await assert.rejects(
      corral.client.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { VisibilityTimeout: "99999" } })),
      (e) => e.name === "InvalidAttributeValue",
    );
    await assert.rejects(
      corral.client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "x".repeat(2049) })),
      (e) => e.name === "InvalidParameterValue",
    );
  });

  test("ListQueues filters by prefix and pages with MaxResults and NextToken", async () => {
    for (const name of ["list-a", "list-b", "list-c"]) await createQueue(name);
    const first = await corral.client.send(new ListQueuesCommand({ QueueNamePrefix: "list-", MaxResults: 2 }));
    assert.deepEqual(first.QueueUrls, [`${corral.url}/000000000000/list-a`, `${corral.url}/000000000000/list-b`]);
    const second = await corral.client.send(
      new ListQueuesCommand({ QueueNamePrefix: "list-", MaxResults: 2, NextToken: first.NextToken }),
    );
    assert.deepEqual(second.QueueUrls, [`${corral.url}/000000000000/list-c`]);
    assert.equal(second.NextToken, undefined);
  });

  test("PurgeQueue and DeleteQueue take every message; a deleted queue no longer exists", async () => {
    const url = await createQueue("purged");
    await corral.client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "a" }));
    await corral.client.send(new PurgeQueueCommand({ QueueUrl: url }));
    const r = await corral.client.send(new ReceiveMessageCommand({ QueueUrl: url }));
    assert.equal(r.Messages, undefined);
    await corral.client.send(new DeleteQueueCommand({ QueueUrl: url }));
    await assert.rejects(corral.client.send(new GetQueueUrlCommand({ QueueName: "purged" })), QueueDoesNotExist);
  });

  test("an action not served answers UnsupportedOperation", async () => {
    const url = await createQueue("unsupported");
    const add = new AddPermissionCommand({ QueueUrl: url, Label: "l", AWSAccountIds: ["111111111111"], Actions: ["*"] });
    await assert.rejects(corral.client.send(add), UnsupportedOperation);
  });

  test("SQS requests are timed in the request metrics under the route sqs", async () => {
    await createQueue("timed");
    const text = await (await fetch(`${corral.url}/metrics`)).text();
    assert.match(text, /corral_http_request_duration_seconds_count\{method="POST",route="sqs",status_class="2xx"\} [1-9]/);
  });

  test("tags are given at creation, added, removed and listed", async () => {
    const { QueueUrl } = await corral.client.send(new CreateQueueCommand({ QueueName: "tagged", tags: { team: "a" } }));
    await corral.client.send(new TagQueueCommand({ QueueUrl, Tags: { env: "test", team: "b" } }));
    await corral.client.send(new UntagQueueCommand({ QueueUrl, TagKeys: ["env"] }));
    const { Tags } = await corral.client.send(new ListQueueTagsCommand({ QueueUrl }));
    assert.deepEqual(Tags, { team: "b" });
    const { Attributes } = await corral.client.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["All"] }));
    assert.equal(Attributes.tags, undefined, "tags are not attributes");
  });

  test("ListDeadLetterSourceQueues names the queues whose redrive policy targets the queue", async () => {
    const dlq = await createQueue("sources-dlq");
    const arn = "arn:aws:sqs:us-east-1:000000000000:sources-dlq";
    const policy = JSON.stringify({ deadLetterTargetArn: arn, maxReceiveCount: 3 });
    const a = await createQueue("sources-a", { RedrivePolicy: policy });
    await createQueue("sources-other");
    const b = await createQueue("sources-b", { RedrivePolicy: policy });
    const { queueUrls } = await corral.client.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: dlq }));
    assert.deepEqual(queueUrls, [a, b]);
  });
});

describe("messages", () => {
  test("a message sent with attributes is received with them; the SDK checks both MD5 digests", async () => {
    const url = await createQueue("send");
    const sent = await corral.client.send(
      new SendMessageCommand({
        QueueUrl: url,
        MessageBody: "héllo\r\nwörld <&> 🐄",
        MessageAttributes: {
          color: { DataType: "String", StringValue: "blue" },
          size: { DataType: "Number", StringValue: "42" },
          blob: { DataType: "Binary", BinaryValue: Uint8Array.from([0, 1, 2, 255]) },
        },
      }),
    );
    assert.ok(sent.MessageId);
    assert.match(sent.MD5OfMessageAttributes, /^[0-9a-f]{32}$/);
    const [m] = await receiveAll(url, 1, {
      MessageAttributeNames: ["All"],
      MessageSystemAttributeNames: ["All"],
    });
    assert.equal(m.MessageId, sent.MessageId);
    assert.equal(m.Body, "héllo\r\nwörld <&> 🐄");
    assert.equal(m.MD5OfBody, sent.MD5OfMessageBody);
    assert.equal(m.MessageAttributes.color.StringValue, "blue");
    assert.equal(m.MessageAttributes.size.StringValue, "42");
    assert.deepEqual([...m.MessageAttributes.blob.BinaryValue], [0, 1, 2, 255]);
    assert.equal(m.MD5OfMessageAttributes, sent.MD5OfMessageAttributes);
    assert.equal(m.Attributes.ApproximateReceiveCount, "1");
    assert.ok(Number(m.Attributes.SentTimestamp) > 0);
    assert.ok(Number(m.Attributes.ApproximateFirstReceiveTimestamp) >= Number(m.Attributes.SentTimestamp));
    await corral.client.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: m.ReceiptHandle }));
  });

  test("a batch sends each entry; a bad entry fails alone", async () => {
    const url = await createQueue("batch");
    const r = await corral.client.send(
      new SendMessageBatchCommand({
        QueueUrl: url,
        Entries: [
          { Id: "a", MessageBody: "one" },
          { Id: "b", MessageBody: "two", MessageAttributes: { k: { DataType: "String", StringValue: "v" } } },
          { Id: "c", MessageBody: "three", DelaySeconds: 901 },
        ],
      }),
    );
    assert.deepEqual(r.Successful.map((e) => e.Id).sort(), ["a", "b"]);
    assert.equal(r.Failed.length, 1);
    assert.equal(r.Failed[0].Id, "c");
    assert.equal(r.Failed[0].Code, "InvalidParameterValue");
    assert.equal(r.Failed[0].SenderFault, true);
    const got = await receiveAll(url, 2);
    assert.deepEqual(got.map((m) => m.Body).sort(), ["one", "two"]);
    const del = await corral.client.send(
      new DeleteMessageBatchCommand({
        QueueUrl: url,
        Entries: [...got.map((m, i) => ({ Id: `d${i}`, ReceiptHandle: m.ReceiptHandle })), { Id: "bad", ReceiptHandle: "nonsense" }],
      }),
    );
    assert.equal(del.Successful.length, 2);
    assert.deepEqual(del.Failed.map((f) => [f.Id, f.Code]), [["bad", "ReceiptHandleIsInvalid"]]);
    const eleven = Array.from({ length: 11 }, (_, i) => ({ Id: `e${i}`, MessageBody: "x" }));
    await assert.rejects(corral.client.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: eleven })), TooManyEntriesInBatchRequest);
  });

  test("a long-poll receive waits for the message sent while it waits", async () => {
    const url = await createQueue("longpoll");
    const parkedBefore = await parkedLongPolls();
    const receiving = corral.client.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 20 }));
    await waitUntil(async () => (await parkedLongPolls()) > parkedBefore, "the receive to wait");
    await corral.client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "woken" }));
    const r = await receiving;
    assert.equal(r.Messages?.[0]?.Body, "woken");
  });

  test("a received message is invisible until its visibility changes to 0; a delete with the old handle changes nothing", async () => {
    const url = await createQueue("visibility", { VisibilityTimeout: "600" });
    await corral.client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "v" }));
    const [first] = await receiveAll(url, 1);
    const none = await corral.client.send(new ReceiveMessageCommand({ QueueUrl: url }));
    assert.equal(none.Messages, undefined, "in flight for 600 s");
    await corral.client.send(new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: first.ReceiptHandle, VisibilityTimeout: 0 }));
    const [second] = await receiveAll(url, 1, { AttributeNames: ["ApproximateReceiveCount"] });
    assert.equal(second.MessageId, first.MessageId);
    assert.equal(second.Attributes.ApproximateReceiveCount, "2", "every receive counts");
    assert.notEqual(second.ReceiptHandle, first.ReceiptHandle);

    // The first receive's handle is stale: deleting with it succeeds as SQS does, and deletes nothing.
    await corral.client.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: first.ReceiptHandle }));
    const job = await corral.api("GET", `/api/v1/jobs/${first.MessageId}`);
    assert.equal(job.body.status, "running", "the second receive's lease is untouched");
    await assert.rejects(
      corral.client.send(new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: first.ReceiptHandle, VisibilityTimeout: 0 })),
      (e) => e.name === "InvalidParameterValue",
    );
    await assert.rejects(
      corral.client.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: "not-a-handle" })),
      ReceiptHandleIsInvalid,
    );
    const batch = await corral.client.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl: url,
        Entries: [{ Id: "x", ReceiptHandle: second.ReceiptHandle, VisibilityTimeout: 900 }],
      }),
    );
    assert.deepEqual(batch.Successful.map((e) => e.Id), ["x"]);
    await corral.client.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: second.ReceiptHandle }));
    assert.equal((await corral.api("GET", `/api/v1/jobs/${first.MessageId}`)).body.status, "completed");
  });

  test("a message received more than maxReceiveCount times moves to the dead-letter queue", async () => {
    const dlqUrl = await createQueue("work-dlq");
    const { Attributes: dlq } = await corral.client.send(new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ["QueueArn"] }));
    const url = await createQueue("work", {
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.QueueArn, maxReceiveCount: 2 }),
    });
    const { Attributes: a } = await corral.client.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["RedrivePolicy"] }));
    assert.deepEqual(JSON.parse(a.RedrivePolicy), { deadLetterTargetArn: dlq.QueueArn, maxReceiveCount: 2 });
    const sent = await corral.client.send(
      new SendMessageCommand({ QueueUrl: url, MessageBody: "poison", MessageAttributes: { k: { DataType: "String", StringValue: "v" } } }),
    );
    for (let i = 1; i <= 2; i++) {
      const [m] = await receiveAll(url, 1, { AttributeNames: ["ApproximateReceiveCount"], VisibilityTimeout: 0 });
      assert.equal(m.Attributes.ApproximateReceiveCount, String(i));
    }
    // The third receive moves it instead of returning it, as soon as the second lease has ended.
    await waitUntil(async () => {
      const r = await corral.client.send(new ReceiveMessageCommand({ QueueUrl: url }));
      assert.equal(r.Messages, undefined, "never received a third time");
      return (await corral.api("GET", `/api/v1/jobs/${sent.MessageId}`)).body.status === "failed";
    }, "the move");
    const [moved] = await receiveAll(dlqUrl, 1, { MessageAttributeNames: ["All"] });
    assert.equal(moved.Body, "poison");
    assert.equal(moved.MessageAttributes.k.StringValue, "v");
    const original = await corral.api("GET", `/api/v1/jobs/${sent.MessageId}`);
    assert.equal(original.body.status, "failed");
    assert.equal(original.body.error.code, "sqs_redrive");
  });
});

describe("one model", () => {
  test("a message sent over SQS is fetched and completed over Corral's API", async () => {
    const url = await createQueue("to-api");
    const sent = await corral.client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "from sqs" }));
    const fetched = await corral.api("POST", "/api/v1/fetch", { queues: ["to-api"], worker_id: "w", wait_s: 5 });
    assert.equal(fetched.status, 200);
    const [job] = fetched.body.jobs;
    assert.equal(job.id, sent.MessageId);
    assert.equal(job.type, "sqs.message");
    assert.equal(job.payload, "from sqs");
    const done = await corral.api("POST", `/api/v1/jobs/${job.id}/complete`, { lease_token: job.lease_token });
    assert.equal(done.status, 200);
  });

  test("a job enqueued over Corral's API is received over SQS and deleted", async () => {
    const url = await createQueue("from-api");
    const enq = await corral.api("POST", "/api/v1/jobs", { type: "report", queue: "from-api", payload: { n: 1 } });
    assert.equal(enq.status, 201);
    const [m] = await receiveAll(url, 1);
    assert.equal(m.MessageId, enq.body.id);
    assert.deepEqual(JSON.parse(m.Body), { n: 1 });
    await corral.client.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: m.ReceiptHandle }));
    assert.equal((await corral.api("GET", `/api/v1/jobs/${enq.body.id}`)).body.status, "completed");
  });
});
