"""boto3 over the query protocol on a server with API keys: requests signed with a key's SQS
credentials are served as the key's role allows; a wrong secret, an unknown access key id and a
role without the right are refused with SQS's errors, and nothing is done."""
import json
import tempfile
import urllib.request

import boto3
import botocore.exceptions
import pytest

from conftest import Corral

ADMIN_KEY = "boto3-admin-key-0123456789abcdef0123"


def api(server: Corral, method: str, path: str, body=None):
    request = urllib.request.Request(server.url + path, method=method,
                                     data=None if body is None else json.dumps(body).encode(),
                                     headers={"Authorization": f"Bearer {ADMIN_KEY}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request) as reply:
        return json.loads(reply.read() or b"null")


def client_for(server: Corral, key_id: str, secret: str | None = None):
    if secret is None:
        secret = api(server, "GET", f"/api/v1/keys/{key_id}/sqs-credentials")["secret_access_key"]
    return boto3.client("sqs", endpoint_url=server.url, region_name="us-east-1",
                        aws_access_key_id=key_id, aws_secret_access_key=secret)


def error_code(call) -> str:
    with pytest.raises(botocore.exceptions.ClientError) as caught:
        call()
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
    return caught.value.response["Error"]["Code"]


@pytest.fixture(scope="module")
def keyed():
    with tempfile.TemporaryDirectory(prefix="corral-sqs-signed-") as directory:
        server = Corral(directory, "--admin-key", ADMIN_KEY, "--auth-secret", "an-auth-secret-for-boto3-tests-0123")
        try:
            yield server
        finally:
            assert server.stop() == 0, "a clean shutdown"


def test_each_role_does_what_it_may_and_nothing_else(keyed):
    admin = client_for(keyed, "admin_key")
    producer_id = api(keyed, "POST", "/api/v1/keys", {"role": "producer"})["id"]
    worker_id = api(keyed, "POST", "/api/v1/keys", {"role": "worker"})["id"]
    producer, worker = client_for(keyed, producer_id), client_for(keyed, worker_id)

    url = admin.create_queue(QueueName="signed-py")["QueueUrl"]
    producer.send_message(QueueUrl=url, MessageBody="signed")
    message = worker.receive_message(QueueUrl=url, WaitTimeSeconds=5)["Messages"][0]
    assert message["Body"] == "signed"
    worker.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])

    assert error_code(lambda: worker.send_message(QueueUrl=url, MessageBody="no")) == "AccessDenied"
    assert error_code(lambda: producer.purge_queue(QueueUrl=url)) == "AccessDenied"
    assert error_code(lambda: client_for(keyed, worker_id, "0" * 64).list_queues()) == "SignatureDoesNotMatch"
    assert error_code(lambda: client_for(keyed, "key_0000000000000000", "0" * 64).list_queues()) == "InvalidClientTokenId"
    jobs = api(keyed, "GET", "/api/v1/jobs?queue=signed-py")["jobs"]
    assert [j["status"] for j in jobs] == ["completed"], "the refused send and purge did nothing"
