"""RFC 3161 time-stamps for checkpoints: ask a time-stamping authority (TSA) for a token.

``request_token`` sends a TimeStampReq (SHA-256 imprint of the data, a random nonce, certReq) over
HTTP and returns the DER TimeStampToken (a CMS SignedData) once the reply is granted and its TSTInfo
names our imprint and nonce. The TSA's signature is not checked here (that needs its trust chain);
``openssl ts -verify -data note -in token -token_in -CAfile ca.pem`` checks a stored token.
"""

import hashlib
import http.client
import secrets
import urllib.request

from asn1crypto import algos, cms, core, tsp


class TimeStampResp(core.Sequence):
    """RFC 3161 TimeStampResp; asn1crypto 1.5.1's makes the token mandatory, which a refusal omits."""

    _fields = [("status", tsp.PKIStatusInfo), ("time_stamp_token", cms.ContentInfo, {"optional": True})]


class TimestampError(Exception):
    """The TSA could not be reached, refused, or answered something that is not our time-stamp."""


def build_request(data, nonce=None):
    """(DER TimeStampReq, nonce) for the SHA-256 digest of ``data``."""
    nonce = secrets.randbits(63) if nonce is None else nonce
    req = tsp.TimeStampReq(
        {
            "version": "v1",
            "message_imprint": {
                "hash_algorithm": algos.DigestAlgorithm({"algorithm": "sha256"}),
                "hashed_message": hashlib.sha256(data).digest(),
            },
            "nonce": nonce,
            "cert_req": True,
        }
    )
    return req.dump(), nonce


def check_response(reply, data, nonce):
    """The DER token from a DER TimeStampResp, after checking status, imprint and nonce."""
    try:
        resp = TimeStampResp.load(reply)
        status = resp["status"]["status"].native
        if status not in ("granted", "granted_with_mods"):
            text = resp["status"]["status_string"].native
            raise TimestampError(f"the TSA refused: {status} {text or ''}".strip())
        token = resp["time_stamp_token"]
        if isinstance(token, core.Void):
            raise TimestampError("the TSA granted but sent no token")
        info = _tst_info(token)
        imprint = info["message_imprint"]
        if (
            imprint["hash_algorithm"]["algorithm"].native != "sha256"
            or bytes(imprint["hashed_message"].native) != hashlib.sha256(data).digest()
        ):
            raise TimestampError("the token time-stamps other data (message imprint differs)")
        if info["nonce"].native != nonce:
            raise TimestampError("the token's nonce is not ours (replayed or mixed-up reply)")
        return token.dump()
    except TimestampError:
        raise
    except Exception as exc:  # asn1crypto raises ValueError/TypeError/KeyError… on malformed DER
        raise TimestampError(f"unreadable reply from the TSA: {exc}") from exc


def request_token(data, url, timeout=10):
    """Time-stamp ``data`` (bytes) at the TSA ``url``; returns the DER TimeStampToken."""
    if not url.startswith(("http://", "https://")):
        raise TimestampError(f"the TSA URL must be http(s): {url!r}")
    body, nonce = build_request(data)
    request = urllib.request.Request(  # noqa: S310 (scheme checked above)
        url, data=body, method="POST", headers={"Content-Type": "application/timestamp-query"}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            reply = response.read(1 << 20)
    except (OSError, http.client.HTTPException, ValueError) as exc:  # URLError, HTTPError, timeouts, bad URL
        raise TimestampError(f"the TSA at {url} did not answer: {exc}") from exc
    return check_response(reply, data, nonce)


def _tst_info(token):
    signed = token["content"]
    if token["content_type"].native != "signed_data" or not isinstance(signed, cms.SignedData):
        raise TimestampError("the token is not a CMS SignedData")
    content = signed["encap_content_info"]
    if content["content_type"].native != "tst_info":
        raise TimestampError("the token does not hold a TSTInfo")
    return content["content"].parsed


def token_info(token):
    """(gen_time, serial number, TSA name or "") of a DER token, for display."""
    info = _tst_info(cms.ContentInfo.load(bytes(token)))
    tsa = info["tsa"]
    name = ""
    if tsa.native is not None:
        try:
            name = tsa.chosen.human_friendly if tsa.name == "directory_name" else str(tsa.native)
        except Exception:
            name = str(tsa.native)
    return info["gen_time"].native, info["serial_number"].native, name
