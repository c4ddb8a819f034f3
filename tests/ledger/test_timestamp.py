"""RFC 3161 time-stamps of checkpoints, against a local TSA (openssl ts behind http.server)."""

import hashlib
import http.server
import logging
import shutil
import subprocess
import threading

import pytest
from asn1crypto import cms, tsp
from django.core.management import call_command

from lawenforce.ledger import log, timestamp
from lawenforce.models import Checkpoint

from .conftest import fill

OPENSSL = shutil.which("openssl")


def _openssl(*args, **kwargs):
    return subprocess.run([OPENSSL, *args], check=True, capture_output=True, **kwargs)


def _openssl_ts_available():
    if not OPENSSL:
        return False
    try:
        listing = subprocess.run([OPENSSL, "list", "-commands"], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return False
    return "ts" in listing.stdout.split()


pytestmark = pytest.mark.skipif(
    not _openssl_ts_available(), reason="the openssl CLI with `openssl ts` is not available"
)

TSA_CONFIG = """\
[ tsa ]
default_tsa = tsa_config1

[ tsa_config1 ]
dir = {dir}
serial = $dir/tsaserial
crypto_device = builtin
signer_cert = $dir/tsa.pem
certs = $dir/tsa.pem
signer_key = $dir/tsa.key
signer_digest = sha256
default_policy = 1.2.3.4.1
digests = sha256, sha384, sha512
accuracy = secs:1
ordering = yes
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = sha256
"""


@pytest.fixture(scope="module")
def tsa_files(tmp_path_factory):
    """A throwaway CA and a TSA certificate it issued (extendedKeyUsage critical timeStamping)."""
    d = tmp_path_factory.mktemp("tsa")
    ec = ("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes")
    _openssl(
        "req", "-x509", *ec, "-keyout", d / "ca.key", "-out", d / "ca.pem", "-subj", "/CN=Test Ledger CA",
        "-days", "2", "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign",
    )  # fmt: skip
    _openssl("req", *ec, "-keyout", d / "tsa.key", "-out", d / "tsa.csr", "-subj", "/CN=Test Ledger TSA")
    (d / "tsa.ext").write_text(
        "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=critical,timeStamping\n"
    )
    _openssl(
        "x509", "-req", "-in", d / "tsa.csr", "-CA", d / "ca.pem", "-CAkey", d / "ca.key", "-set_serial", "2",
        "-days", "2", "-extfile", d / "tsa.ext", "-out", d / "tsa.pem",
    )  # fmt: skip
    (d / "tsaserial").write_text("01\n")
    (d / "tsa.cnf").write_text(TSA_CONFIG.format(dir=d))
    return d


def _reply(files, query):
    """openssl ts -reply for a DER TimeStampReq; the DER TimeStampResp."""
    return _openssl(
        "ts", "-reply", "-config", files / "tsa.cnf", "-queryfile", "/dev/stdin",
        "-inkey", files / "tsa.key", "-signer", files / "tsa.pem", "-out", "-",
        input=query,
    ).stdout  # fmt: skip


class LocalTSA:
    """http.server on 127.0.0.1:<free port>; ``mode`` picks the answer: ok, garbage, rejection, http500."""

    def __init__(self, files):
        self.files, self.mode, self.requests = files, "ok", []
        lock = threading.Lock()
        tsa = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                query = self.rfile.read(int(self.headers["Content-Length"]))
                tsa.requests.append((self.headers["Content-Type"], query))
                status, body = 200, b""
                if tsa.mode == "ok":
                    with lock:  # the serial file
                        body = _reply(tsa.files, query)
                elif tsa.mode == "garbage":
                    body = b"\x30\x03garbage, not DER"
                elif tsa.mode == "rejection":
                    body = timestamp.TimeStampResp(
                        {"status": {"status": "rejection", "status_string": ["busy"]}}
                    ).dump()
                else:
                    status, body = 500, b"internal error"
                self.send_response(status)
                self.send_header("Content-Type", "application/timestamp-reply")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/tsa"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def local_tsa(tsa_files):
    tsa = LocalTSA(tsa_files)
    yield tsa
    tsa.close()


@pytest.fixture
def tsa(local_tsa, settings):
    local_tsa.mode = "ok"
    settings.LEDGER_TSA_URL = local_tsa.url
    return local_tsa


def _tst_info(token):
    return cms.ContentInfo.load(token)["content"]["encap_content_info"]["content"].parsed


@pytest.mark.django_db
def test_a_checkpoint_is_time_stamped_over_its_signed_note(ledger_profile, tsa, tsa_files, tmp_path):
    fill(3)
    checkpoint = log.make_checkpoint()
    checkpoint.refresh_from_db()
    token = bytes(checkpoint.timestamp_token)
    note = checkpoint.note.encode()

    content_type, query = tsa.requests[-1]
    assert content_type == "application/timestamp-query"
    req = tsp.TimeStampReq.load(query)
    assert req["cert_req"].native is True and req["nonce"].native
    info = _tst_info(token)
    assert info["message_imprint"]["hash_algorithm"]["algorithm"].native == "sha256"
    assert info["message_imprint"]["hashed_message"].native == hashlib.sha256(note).digest()
    assert info["nonce"].native == req["nonce"].native

    gen_time, serial, name = timestamp.token_info(token)
    assert gen_time.tzinfo is not None and isinstance(serial, int)
    assert "Test Ledger TSA" in name

    (tmp_path / "note").write_bytes(note)
    (tmp_path / "token.der").write_bytes(token)
    _openssl(
        "ts", "-verify", "-data", tmp_path / "note", "-in", tmp_path / "token.der", "-token_in",
        "-CAfile", tsa_files / "ca.pem", "-untrusted", tsa_files / "tsa.pem",
    )  # fmt: skip
    (tmp_path / "note").write_bytes(note + b"x")
    with pytest.raises(subprocess.CalledProcessError):
        _openssl(
            "ts", "-verify", "-data", tmp_path / "note", "-in", tmp_path / "token.der", "-token_in",
            "-CAfile", tsa_files / "ca.pem", "-untrusted", tsa_files / "tsa.pem",
        )  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize("mode", ["garbage", "rejection", "http500"])
def test_a_failing_tsa_keeps_the_checkpoint_without_a_token(ledger_profile, tsa, mode, caplog):
    tsa.mode = mode
    fill(2)
    with caplog.at_level(logging.WARNING, logger="lawenforce.ledger.log"):
        checkpoint = log.make_checkpoint()
    checkpoint.refresh_from_db()
    assert checkpoint.size == 2 and checkpoint.timestamp_token is None
    assert any("has no time-stamp" in r.getMessage() for r in caplog.records)
    if mode == "rejection":
        assert "rejection" in caplog.text

    tsa.mode = "ok"  # the TSA is back: --timestamp-missing fills the gap
    call_command("make_checkpoint", "--timestamp-missing")
    checkpoint.refresh_from_db()
    info = _tst_info(bytes(checkpoint.timestamp_token))
    assert info["message_imprint"]["hashed_message"].native == hashlib.sha256(checkpoint.note.encode()).digest()


@pytest.mark.django_db
def test_an_unreachable_tsa_keeps_the_checkpoint(ledger_profile, settings, caplog):
    settings.LEDGER_TSA_URL = "http://127.0.0.1:9/tsa"  # discard port: connection refused
    fill(1)
    with caplog.at_level(logging.WARNING, logger="lawenforce.ledger.log"):
        checkpoint = log.make_checkpoint()
    assert Checkpoint.objects.get(pk=checkpoint.pk).timestamp_token is None
    assert "has no time-stamp" in caplog.text


@pytest.mark.django_db
def test_no_tsa_configured_means_no_request(ledger_profile, local_tsa, settings):
    settings.LEDGER_TSA_URL = ""
    before = len(local_tsa.requests)
    fill(1)
    assert log.make_checkpoint().timestamp_token is None
    assert len(local_tsa.requests) == before


def test_a_reply_for_another_imprint_is_rejected(tsa_files):
    query, nonce = timestamp.build_request(b"some other note")
    reply = _reply(tsa_files, query)
    assert timestamp.check_response(reply, b"some other note", nonce)  # sanity: it is a good reply
    with pytest.raises(timestamp.TimestampError, match="imprint"):
        timestamp.check_response(reply, b"the checkpoint note", nonce)
    with pytest.raises(timestamp.TimestampError, match="nonce"):
        timestamp.check_response(reply, b"some other note", nonce + 1)


def test_a_tsa_answering_for_another_imprint_is_rejected_end_to_end(local_tsa, tsa_files):
    """A TSA (or a man in the middle) that stamps something else: request_token refuses it."""
    other = _reply(tsa_files, timestamp.build_request(b"not what we asked")[0])

    class Replay(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            self.rfile.read(int(self.headers["Content-Length"]))
            self.send_response(200)
            self.send_header("Content-Length", str(len(other)))
            self.end_headers()
            self.wfile.write(other)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Replay)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with pytest.raises(timestamp.TimestampError, match="imprint"):
            timestamp.request_token(b"the checkpoint note", f"http://127.0.0.1:{server.server_address[1]}/", 5)
    finally:
        server.shutdown()
        server.server_close()


def test_a_non_http_url_is_refused():
    with pytest.raises(timestamp.TimestampError):
        timestamp.request_token(b"x", "file:///etc/passwd", 1)
