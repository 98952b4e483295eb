// SQS on a server with API keys: @aws-sdk/client-sqs signs with a key's SQS credentials
// (GET /api/v1/keys/{id}/sqs-credentials), and the key's role decides what it may do. A wrong
// secret, an unknown access key id, a role without the right and a revoked key are refused with
// SQS's own errors, and nothing is done.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListQueuesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
} from "@aws-sdk/client-sqs";
import { Corral } from "./support.mjs";

const kAdminKey = "sqs-admin-key-0123456789abcdef0123";
const corral = new Corral();
const clients = [];

before(async () => {
  await corral.start(["--admin-key", kAdminKey, "--auth-secret", "an-auth-secret-for-the-sqs-tests-0123"]);
  corral.apiKey = kAdminKey;
});
after(async () => {
  for (const c of clients) c.destroy();
  assert.equal(await corral.stop(), 0, "a clean shutdown");
  corral.dispose();
});

// A new key of `role` (and `scope`: owner, queues) and an SQSClient signing as it.
async function signingAs(role, scope = {}) {
  let id = "admin_key";
  if (role !== "admin" || Object.keys(scope).length > 0) {
    const created = await corral.api("POST", "/api/v1/keys", { role, name: `sqs ${role}`, ...scope });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    id = created.body.id;
  }
  const reply = await corral.api("GET", `/api/v1/keys/${id}/sqs-credentials`);
  assert.equal(reply.status, 200, JSON.stringify(reply.body));
  assert.equal(reply.body.access_key_id, id);
  const client = corral.sqs({ accessKeyId: reply.body.access_key_id, secretAccessKey: reply.body.secret_access_key });
  clients.push(client);
  return { id, client, secret: reply.body.secret_access_key };
}

async function refusal(promise) {
  const e = await promise.then(
    () => undefined,
    (error) => error,
  );
  assert.ok(e, "the request was refused");
  return { name: e.name, status: e.$metadata?.httpStatusCode };
}

test("each role does what it may over SQS, signed with its key's credentials", async () => {
  const admin = await signingAs("admin");
  const producer = await signingAs("producer");
  const worker = await signingAs("worker");
  const { QueueUrl } = await admin.client.send(new CreateQueueCommand({ QueueName: "signed" }));
  assert.equal((await worker.client.send(new GetQueueUrlCommand({ QueueName: "signed" }))).QueueUrl, QueueUrl);
  await producer.client.send(new SendMessageCommand({ QueueUrl, MessageBody: "from the producer" }));
  const { Messages } = await worker.client.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 5 }));
  assert.equal(Messages?.[0]?.Body, "from the producer");
  await worker.client.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: Messages[0].ReceiptHandle }));
  const jobs = await corral.api("GET", "/api/v1/jobs?queue=signed");
  assert.deepEqual(jobs.body.jobs.map((j) => j.status), ["completed"]);

  assert.deepEqual(await refusal(worker.client.send(new SendMessageCommand({ QueueUrl, MessageBody: "x" }))),
                   { name: "AccessDenied", status: 403 });
  assert.deepEqual(await refusal(producer.client.send(new ReceiveMessageCommand({ QueueUrl }))),
                   { name: "AccessDenied", status: 403 });
  assert.deepEqual(await refusal(producer.client.send(new CreateQueueCommand({ QueueName: "not-by-a-producer" }))),
                   { name: "AccessDenied", status: 403 });
  assert.equal((await corral.api("GET", "/api/v1/jobs?queue=signed")).body.jobs.length, 1, "nothing was sent");
});

test("a wrong secret, an unknown access key id and a revoked key are refused", async () => {
  const producer = await signingAs("producer");
  const wrong = corral.sqs({ accessKeyId: producer.id, secretAccessKey: "0".repeat(64) });
  const unknown = corral.sqs({ accessKeyId: "key_0000000000000000", secretAccessKey: producer.secret });
  clients.push(wrong, unknown);
  assert.deepEqual(await refusal(wrong.send(new ListQueuesCommand({}))), { name: "SignatureDoesNotMatch", status: 403 });
  assert.deepEqual(await refusal(unknown.send(new ListQueuesCommand({}))), { name: "InvalidClientTokenId", status: 403 });
  await producer.client.send(new ListQueuesCommand({}));
  assert.equal((await corral.api("DELETE", `/api/v1/keys/${producer.id}`)).status, 200);
  assert.deepEqual(await refusal(producer.client.send(new ListQueuesCommand({}))),
                   { name: "InvalidClientTokenId", status: 403 });
});

test("an owner's key sends as its owner and reads no queue's counts; a queue-scoped key keeps to its queues", async () => {
  const admin = await signingAs("admin");
  const { QueueUrl: mine } = await admin.client.send(new CreateQueueCommand({ QueueName: "scoped-mine" }));
  const { QueueUrl: other } = await admin.client.send(new CreateQueueCommand({ QueueName: "scoped-other" }));
  const tenant = await signingAs("producer", { owner: "acme" });
  const url = (await tenant.client.send(new GetQueueUrlCommand({ QueueName: "scoped-mine" }))).QueueUrl;
  const sent = await tenant.client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "for acme" }));
  assert.equal((await corral.api("GET", `/api/v1/jobs/${sent.MessageId}`)).body.owner, "acme");
  assert.deepEqual(
    await refusal(tenant.client.send(new GetQueueAttributesCommand({ QueueUrl: mine, AttributeNames: ["All"] }))),
    { name: "AccessDenied", status: 403 });

  const worker = await signingAs("worker", { queues: ["scoped-mine"] });
  const { Messages } = await worker.client.send(new ReceiveMessageCommand({ QueueUrl: mine, WaitTimeSeconds: 5 }));
  assert.equal(Messages?.[0]?.Body, "for acme");
  assert.deepEqual(await refusal(worker.client.send(new ReceiveMessageCommand({ QueueUrl: other }))),
                   { name: "AccessDenied", status: 403 });
});
