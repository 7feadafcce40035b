"""Uploaded files on an S3-compatible object store (moto's server on a loopback
port): they land in the bucket, not on disk, and are still served only through the
permission-checked views; any URL the storage signs expires within minutes."""

import socket
from urllib.parse import parse_qs, urlparse

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse

from submissions.services.attachments import attachment_add
from tests import factories
from tests.conftest import skip_or_fail

BUCKET = "gza-test-uploads"
PDF = b"%PDF-1.4\n%private report\n%%EOF\n"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint():
    try:
        import boto3
        from moto.server import ThreadedMotoServer
    except ImportError:
        skip_or_fail("moto[server] and boto3 are not installed (pip install 'moto[server]')")
    import logging

    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    ).create_bucket(Bucket=BUCKET)
    yield endpoint
    server.stop()


@pytest.fixture
def s3_storage(s3_endpoint, settings):
    options = {
        "bucket_name": BUCKET,
        "endpoint_url": s3_endpoint,
        "region_name": "us-east-1",
        "access_key": "test",
        "secret_key": "test",
        "location": "media",
        "addressing_style": "path",
        "default_acl": "private",
        "querystring_auth": True,
        "querystring_expire": 300,
        "file_overwrite": False,
        "signature_version": "s3v4",
    }
    storages = {
        **settings.STORAGES,
        "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options},
    }
    with override_settings(STORAGES=storages):
        import boto3

        client = boto3.client(
            "s3",
            endpoint_url=s3_endpoint,
            region_name="us-east-1",
            aws_access_key_id="test",
            aws_secret_access_key="test",
        )
        # moto keeps its buckets in the process, across servers: every test that uses
        # the store (here and in other modules) starts with an empty bucket.
        for listed in client.get_paginator("list_objects_v2").paginate(Bucket=BUCKET):
            for stored in listed.get("Contents", []):
                client.delete_object(Bucket=BUCKET, Key=stored["Key"])
        yield client


@pytest.mark.django_db
def test_uploads_go_to_the_bucket_and_are_served_only_through_the_checks(s3_storage, open_cycle):
    official = factories.CityOfficialFactory()
    entry = factories.CompleteSubmissionFactory(
        cycle=open_cycle, organisation=official.organisation
    )
    attachment = attachment_add(
        submission=entry,
        kind="document",
        upload=SimpleUploadedFile("report.pdf", PDF, content_type="application/pdf"),
        by=official,
    )
    keys = [o["Key"] for o in s3_storage.list_objects_v2(Bucket=BUCKET)["Contents"]]
    assert keys == [f"media/{attachment.file.name}"]
    body = s3_storage.get_object(Bucket=BUCKET, Key=keys[0])["Body"].read()
    assert body == PDF

    url = reverse("submissions:attachment", args=[entry.pk, attachment.pk])
    owner = Client()
    owner.force_login(official)
    response = owner.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Cache-Control"] == "private, no-store"

    stranger = Client()
    stranger.force_login(factories.CityOfficialFactory())
    assert stranger.get(url).status_code == 403
    assert Client().get(url).status_code == 302  # to the sign-in page


@pytest.mark.django_db
def test_signed_urls_of_the_store_expire_within_minutes(s3_storage):
    from django.core.files.storage import default_storage

    name = default_storage.save("exports/check.csv", SimpleUploadedFile("check.csv", b"a,b\n"))
    query = parse_qs(urlparse(default_storage.url(name)).query)
    assert query["X-Amz-Expires"] == ["300"]
    assert "X-Amz-Signature" in query
    default_storage.delete(name)
    assert not default_storage.exists(name)
