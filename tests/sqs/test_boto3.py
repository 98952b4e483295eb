"""Debian's python3-boto3 (1.26, the query protocol with XML replies) against the real binary:
the core scenarios, botocore's own MD5 checks of bodies and attributes passing, and SQS's errors
as boto3's exception classes."""
import json
import urllib.request

import pytest
from botocore.exceptions import ClientError

from conftest import wait_until


def test_this_boto3_speaks_the_query_protocol(sqs):
    assert sqs.meta.service_model.protocol == "query"


def create(sqs, name, **attributes):
    return sqs.create_queue(QueueName=name, Attributes={k: str(v) for k, v in attributes.items()})["QueueUrl"]


def receive_all(sqs, url, n, **extra):
    got = []

    def more():
        got.extend(sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, **extra).get("Messages", []))
        return len(got) >= n

    wait_until(more, f"{n} messages")
    return got


def test_queues_are_created_idempotently_and_listed(sqs, corral):
    url = create(sqs, "py-orders", VisibilityTimeout=45)
    assert url == f"{corral.url}/000000000000/py-orders"
    assert create(sqs, "py-orders", VisibilityTimeout=45) == url
    with pytest.raises(sqs.exceptions.QueueNameExists):
        create(sqs, "py-orders", VisibilityTimeout=46)
    assert sqs.get_queue_url(QueueName="py-orders")["QueueUrl"] == url
    assert url in sqs.list_queues(QueueNamePrefix="py-")["QueueUrls"]
    with pytest.raises(sqs.exceptions.QueueDoesNotExist) as missing:
        sqs.get_queue_url(QueueName="py-nope")
    assert missing.value.response["Error"]["Code"] == "AWS.SimpleQueueService.NonExistentQueue"


def test_attributes_round_trip(sqs):
    url = create(sqs, "py-attrs")
    sqs.set_queue_attributes(QueueUrl=url, Attributes={"VisibilityTimeout": "120", "DelaySeconds": "3"})
    a = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    assert a["VisibilityTimeout"] == "120"
    assert a["DelaySeconds"] == "3"
    assert a["QueueArn"] == "arn:aws:sqs:us-east-1:000000000000:py-attrs"
    with pytest.raises(ClientError) as bad:
        sqs.set_queue_attributes(QueueUrl=url, Attributes={"Nonsense": "1"})
    assert bad.value.response["Error"]["Code"] == "InvalidAttributeName"


def test_send_receive_delete_with_attributes_and_md5_checked(sqs):
    url = create(sqs, "py-send")
    sent = sqs.send_message(QueueUrl=url, MessageBody="héllo\r\n<&>", MessageAttributes={
        "color": {"DataType": "String", "StringValue": "blue"},
        "blob": {"DataType": "Binary", "BinaryValue": b"\x00\x01\xff"},
    })
    [m] = receive_all(sqs, url, 1, MessageAttributeNames=["All"], AttributeNames=["All"])
    assert m["MessageId"] == sent["MessageId"]
    assert m["Body"] == "héllo\r\n<&>"
    assert m["MessageAttributes"]["color"]["StringValue"] == "blue"
    assert m["MessageAttributes"]["blob"]["BinaryValue"] == b"\x00\x01\xff"
    assert m["MD5OfMessageAttributes"] == sent["MD5OfMessageAttributes"]
    assert m["Attributes"]["ApproximateReceiveCount"] == "1"
    sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
    with pytest.raises(sqs.exceptions.ReceiptHandleIsInvalid):
        sqs.delete_message(QueueUrl=url, ReceiptHandle="nonsense")


def test_batches_and_visibility(sqs):
    url = create(sqs, "py-batch", VisibilityTimeout=600)
    r = sqs.send_message_batch(QueueUrl=url, Entries=[
        {"Id": "a", "MessageBody": "one"}, {"Id": "b", "MessageBody": "two"},
        {"Id": "c", "MessageBody": "three", "DelaySeconds": 901}])
    assert sorted(e["Id"] for e in r["Successful"]) == ["a", "b"]
    assert [(f["Id"], f["Code"], f["SenderFault"]) for f in r["Failed"]] == [("c", "InvalidParameterValue", True)]
    got = receive_all(sqs, url, 2)
    assert sqs.receive_message(QueueUrl=url).get("Messages") is None
    changed = sqs.change_message_visibility_batch(QueueUrl=url, Entries=[
        {"Id": "x", "ReceiptHandle": got[0]["ReceiptHandle"], "VisibilityTimeout": 0}])
    assert [e["Id"] for e in changed["Successful"]] == ["x"]
    [again] = receive_all(sqs, url, 1, AttributeNames=["ApproximateReceiveCount"])
    assert again["MessageId"] == got[0]["MessageId"]
    assert again["Attributes"]["ApproximateReceiveCount"] == "2"
    deleted = sqs.delete_message_batch(QueueUrl=url, Entries=[
        {"Id": "1", "ReceiptHandle": again["ReceiptHandle"]}, {"Id": "2", "ReceiptHandle": got[1]["ReceiptHandle"]}])
    assert len(deleted["Successful"]) == 2


def test_redrive_after_max_receive_count(sqs, corral):
    dlq = create(sqs, "py-dlq")
    arn = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    url = create(sqs, "py-work", RedrivePolicy=json.dumps({"deadLetterTargetArn": arn, "maxReceiveCount": "1"}))
    sent = sqs.send_message(QueueUrl=url, MessageBody="poison")
    receive_all(sqs, url, 1, VisibilityTimeout=0)

    def moved_by_next_receive():
        assert sqs.receive_message(QueueUrl=url).get("Messages") is None, "never received a second time"
        with urllib.request.urlopen(f"{corral.url}/api/v1/jobs/{sent['MessageId']}") as reply:
            return json.load(reply)["status"] == "failed"

    wait_until(moved_by_next_receive, "the move")
    [moved] = receive_all(sqs, dlq, 1)
    assert moved["Body"] == "poison"
    with urllib.request.urlopen(f"{corral.url}/api/v1/jobs/{sent['MessageId']}") as reply:
        job = json.load(reply)
    assert job["status"] == "failed"
    assert job["error"]["code"] == "sqs_redrive"


def test_a_message_sent_over_sqs_is_fetched_over_the_corral_api(sqs, corral):
    url = create(sqs, "py-to-api")
    sent = sqs.send_message(QueueUrl=url, MessageBody="from boto3")
    body = json.dumps({"queues": ["py-to-api"], "wait_s": 5}).encode()
    req = urllib.request.Request(f"{corral.url}/api/v1/fetch", data=body, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req) as reply:
        [job] = json.load(reply)["jobs"]
    assert job["id"] == sent["MessageId"]
    assert job["payload"] == "from boto3"


def test_tags_and_dead_letter_sources(sqs):
    url = sqs.create_queue(QueueName="py-tagged", tags={"team": "a"})["QueueUrl"]
    sqs.tag_queue(QueueUrl=url, Tags={"env": "test"})
    sqs.untag_queue(QueueUrl=url, TagKeys=["team"])
    assert sqs.list_queue_tags(QueueUrl=url)["Tags"] == {"env": "test"}
    dlq = create(sqs, "py-sources-dlq")
    policy = json.dumps({"deadLetterTargetArn": "arn:aws:sqs:us-east-1:000000000000:py-sources-dlq",
                         "maxReceiveCount": 2})
    source = create(sqs, "py-source", RedrivePolicy=policy)
    assert sqs.list_dead_letter_source_queues(QueueUrl=dlq)["queueUrls"] == [source]


def test_a_fifo_queue_keeps_each_groups_order_and_deduplicates(sqs):
    with pytest.raises(ClientError) as bad:
        create(sqs, "py-needs-attr.fifo")
    assert bad.value.response["Error"]["Code"] == "InvalidParameterValue"
    url = create(sqs, "py-order.fifo", FifoQueue="true", ContentBasedDeduplication="true")
    attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    assert (attributes["FifoQueue"], attributes["ContentBasedDeduplication"]) == ("true", "true")
    with pytest.raises(ClientError) as no_group:
        sqs.send_message(QueueUrl=url, MessageBody="x")
    assert no_group.value.response["Error"]["Code"] == "MissingParameter"

    sent = {}
    for i in range(3):
        for group in ("left", "right"):
            body = f"{group}-{i}"
            sent[body] = sqs.send_message(QueueUrl=url, MessageBody=body, MessageGroupId=group)
    duplicate = sqs.send_message(QueueUrl=url, MessageBody="left-0", MessageGroupId="left")
    assert duplicate["MessageId"] == sent["left-0"]["MessageId"]
    by_id = sqs.send_message(QueueUrl=url, MessageBody="left-0", MessageGroupId="left", MessageDeduplicationId="again")
    assert by_id["MessageId"] not in {s["MessageId"] for s in sent.values()}
    assert int(by_id["SequenceNumber"]) > int(sent["right-2"]["SequenceNumber"])

    received = {"left": [], "right": []}

    def drain():
        messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, AttributeNames=["All"]).get("Messages", [])
        groups = [m["Attributes"]["MessageGroupId"] for m in messages]
        assert len(groups) == len(set(groups)), "one message of a group at a time"
        for m in messages:
            received[m["Attributes"]["MessageGroupId"]].append(m["Body"])
            assert m["Attributes"]["SequenceNumber"] == (by_id if m["MessageId"] == by_id["MessageId"]
                                                         else sent[m["Body"]])["SequenceNumber"]
            sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
        return sum(len(v) for v in received.values()) >= 7

    wait_until(drain, "every message")
    assert received == {"left": ["left-0", "left-1", "left-2", "left-0"], "right": ["right-0", "right-1", "right-2"]}
