// SQS requests while API keys exist (docs/security.md, "SQS"): each must be signed with Signature
// Version 4 by the SQS credentials of a live key (its id as the access key id, the secret from
// Authenticator::sqs_secret), within its rate limit, and the key's role must allow the action:
//   GetQueueUrl, GetQueueAttributes, ListQueues, ListQueueTags, ListDeadLetterSourceQueues: any role
//   SendMessage, SendMessageBatch: producer (Need::enqueue)
//   ReceiveMessage, DeleteMessage(Batch), ChangeMessageVisibility(Batch): worker (Need::work)
//   anything else (CreateQueue, DeleteQueue, PurgeQueue, SetQueueAttributes, tags): admin
// A key scoped to an owner may GetQueueUrl and send only, and its messages are sent as that
// owner; a key scoped to queues may name those queues only.
// Each refusal is an SQS error, in the protocol of the request: MissingAuthenticationToken,
// InvalidClientTokenId, SignatureDoesNotMatch, AccessDenied or RequestThrottled.
#pragma once

#include "http/authenticator.hpp"
#include "sqs/service.hpp"

namespace corral::http {

sqs::Gate make_sqs_gate(Authenticator& auth);

// What an SQS action needs of a key's role (the list above).
auth::Need sqs_need(std::string_view action);

}  // namespace corral::http
