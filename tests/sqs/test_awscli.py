"""Debian's AWS CLI (v2.9, the query protocol) against the real binary: create a queue, send,
receive and delete a message, as a shell script would."""
import json
import os
import subprocess

from conftest import wait_until

AWS = "/usr/bin/aws"


def aws(corral, *args):
    env = dict(os.environ, AWS_ACCESS_KEY_ID="test", AWS_SECRET_ACCESS_KEY="test", AWS_DEFAULT_REGION="us-east-1",
               AWS_PAGER="", AWS_CONFIG_FILE="/dev/null", AWS_SHARED_CREDENTIALS_FILE="/dev/null")
    out = subprocess.run([AWS, "--endpoint-url", corral.url, "--output", "json", "sqs", *args],
                         env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout) if out.stdout.strip() else {}


def test_create_send_receive_delete(corral):
    url = aws(corral, "create-queue", "--queue-name", "cli-queue")["QueueUrl"]
    assert url == f"{corral.url}/000000000000/cli-queue"
    sent = aws(corral, "send-message", "--queue-url", url, "--message-body", "from the cli")
    got = wait_until(lambda: aws(corral, "receive-message", "--queue-url", url).get("Messages"), "the message")
    assert got[0]["MessageId"] == sent["MessageId"]
    assert got[0]["Body"] == "from the cli"
    aws(corral, "delete-message", "--queue-url", url, "--receipt-handle", got[0]["ReceiptHandle"])
    attributes = aws(corral, "get-queue-attributes", "--queue-url", url, "--attribute-names", "All")["Attributes"]
    assert attributes["ApproximateNumberOfMessages"] == "0"
    assert attributes["ApproximateNumberOfMessagesNotVisible"] == "0"


def test_the_fifo_example_of_the_docs(corral):
    url = aws(corral, "create-queue", "--queue-name", "payments.fifo",
              "--attributes", "FifoQueue=true,ContentBasedDeduplication=true")["QueueUrl"]
    sent = aws(corral, "send-message", "--queue-url", url, "--message-body", "charge 42",
               "--message-group-id", "customer-7")
    assert int(sent["SequenceNumber"]) > 0
    got = wait_until(lambda: aws(corral, "receive-message", "--queue-url", url, "--attribute-names", "All")
                     .get("Messages"), "the message")
    assert got[0]["MessageId"] == sent["MessageId"]
    assert got[0]["Attributes"]["MessageGroupId"] == "customer-7"
    assert got[0]["Attributes"]["SequenceNumber"] == sent["SequenceNumber"]
