/* Browser check of a published penalty record (公示内容核验); the same steps as
   disclosure/verification.py check_bundle():
   1. digest(public_json) equals the record's digest;
   2. the ledger entry names that digest and its leaf hash is H(0x00 || entry bytes);
   3. the inclusion proof folds the leaf hash to the root of the signed checkpoint (RFC 9162 §2.1.3.2).
   SHA-256 comes from Web Crypto; SM3 from the vendored sm-crypto (static/vendor/sm-crypto, MIT).
   Also runs under Node (tests): `node verify.js bundle.json` prints "ok" or the failed step. */
(function (root) {
  "use strict";

  function hexToBytes(hex) {
    if (typeof hex !== "string" || hex.length % 2) throw new Error("hex");
    var out = new Uint8Array(hex.length / 2);
    for (var i = 0; i < out.length; i++) {
      var b = parseInt(hex.substr(i * 2, 2), 16);
      if (isNaN(b)) throw new Error("hex");
      out[i] = b;
    }
    return out;
  }

  function bytesToHex(bytes) {
    var s = "";
    for (var i = 0; i < bytes.length; i++) s += (bytes[i] < 16 ? "0" : "") + bytes[i].toString(16);
    return s;
  }

  function concat(parts) {
    var n = 0, i, off = 0;
    for (i = 0; i < parts.length; i++) n += parts[i].length;
    var out = new Uint8Array(n);
    for (i = 0; i < parts.length; i++) { out.set(parts[i], off); off += parts[i].length; }
    return out;
  }

  function base64ToHex(text) {
    var bin = typeof atob === "function" ? atob(text) : Buffer.from(text, "base64").toString("binary");
    var out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return bytesToHex(out);
  }

  var utf8 = new TextEncoder();

  /* hashers: {sha256: bytes -> Promise<Uint8Array>, sm3: bytes -> Promise<Uint8Array>} */
  function browserHashers() {
    return {
      sha256: function (bytes) {
        return crypto.subtle.digest("SHA-256", bytes).then(function (buf) { return new Uint8Array(buf); });
      },
      sm3: function (bytes) {
        return Promise.resolve(hexToBytes(root.sm3(bytes)));
      },
    };
  }

  function payloadNames(payload, digest) {
    if (!payload || typeof payload !== "object") return false;
    return Object.keys(payload).some(function (k) { return String(payload[k]).toLowerCase() === digest; });
  }

  async function check(bundle, hashers) {
    try {
      var record = bundle.record, ledger = bundle.ledger, proof = bundle.proof;
      var digestFn = hashers[record.digest_algorithm], tree = hashers[proof.algorithm];
      if (!digestFn || !tree) return "format";
      var digest = record.digest.toLowerCase();
      if (bytesToHex(await digestFn(utf8.encode(record.public_json))) !== digest) return "digest";
      var leaf = utf8.encode(ledger.leaf);
      var body = JSON.parse(ledger.leaf);
      if (body.index !== proof.index || !payloadNames(body.payload, digest)) return "leaf";
      if (bytesToHex(await tree(concat([new Uint8Array([0]), leaf]))) !== proof.leaf_hash) return "leaf_hash";
      var lines = bundle.checkpoint.split("\n");
      var rootHex = base64ToHex(lines[2]);
      if (parseInt(lines[1], 10) !== proof.size || rootHex !== proof.root) return "checkpoint";
      var r = hexToBytes(proof.leaf_hash), fn = proof.index, sn = proof.size - 1;
      // Sizes stay below 2**53: plain numbers with Math.floor instead of bit shifts (32-bit in JS).
      for (var i = 0; i < proof.proof.length; i++) {
        var p = hexToBytes(proof.proof[i]);
        if (sn === 0) return "proof";
        if (fn % 2 === 1 || fn === sn) {
          r = await tree(concat([new Uint8Array([1]), p, r]));
          if (fn % 2 === 0) {
            while (fn !== 0 && fn % 2 === 0) { fn = Math.floor(fn / 2); sn = Math.floor(sn / 2); }
          }
        } else {
          r = await tree(concat([new Uint8Array([1]), r, p]));
        }
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
      if (sn !== 0 || bytesToHex(r) !== rootHex) return "proof";
      return "ok";
    } catch (e) {
      return "format";
    }
  }

  root.DisclosureVerify = { check: check, browserHashers: browserHashers };

  if (typeof document !== "undefined") {
    document.addEventListener("DOMContentLoaded", function () {
      var button = document.getElementById("verify-button");
      var data = document.getElementById("proof-bundle");
      var out = document.getElementById("verify-result");
      if (!button || !data || !out) return;
      button.hidden = false;
      button.addEventListener("click", async function () {
        button.disabled = true;
        out.className = "notice";
        out.textContent = out.dataset.running;
        var step = await check(JSON.parse(data.textContent), browserHashers());
        out.className = step === "ok" ? "notice message-success" : "notice notice-bad";
        out.textContent = out.dataset[step === "ok" ? "ok" : "fail" + step.replace("_", "")] || out.dataset.failformat;
        button.disabled = false;
      });
    });
  }

  if (typeof module !== "undefined" && module.exports && typeof require === "function" && require.main === module) {
    var nodeCrypto = require("crypto");
    var sm3 = require(require("path").join(__dirname, "..", "vendor", "sm-crypto", "sm3.js"));
    var bundle = JSON.parse(require("fs").readFileSync(process.argv[2], "utf8"));
    var hashers = {
      sha256: function (b) { return Promise.resolve(new Uint8Array(nodeCrypto.createHash("sha256").update(b).digest())); },
      sm3: function (b) { return Promise.resolve(hexToBytes(sm3(b))); },
    };
    check(bundle, hashers).then(function (step) { console.log(step); process.exit(step === "ok" ? 0 : 1); });
  }
})(typeof self !== "undefined" ? self : globalThis);
