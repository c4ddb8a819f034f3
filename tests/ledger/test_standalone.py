"""lawenforce.ledger.verify runs without Django, without a database and without this project."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from lawenforce.ledger import signing

from .test_merkle import CONSISTENCY, HASHES, INCLUSION, ROOTS

ROOT = Path(__file__).resolve().parents[2]
VERIFY = ROOT / "lawenforce" / "ledger" / "verify.py"


def clean_env():
    return {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO", "PYTHON"))}


def run_isolated(*args, stdin=None, cwd=None):
    """``python -I verify.py …`` from a directory outside the project: no site-packages of ours, no Django."""
    return subprocess.run(
        [sys.executable, "-I", str(VERIFY), *args],
        cwd=cwd or "/",
        env=clean_env(),
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_file_imports_no_django_and_checks_a_proof(tmp_path):
    # Load the module from its file in an isolated interpreter, use it, and look at sys.modules.
    code = (
        "import importlib.util, json, sys\n"
        f"spec = importlib.util.spec_from_file_location('ledger_verify', {str(VERIFY)!r})\n"
        "m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)\n"
        f"ok = m.verify_inclusion(0, 8, {HASHES[0].hex()!r}, {INCLUSION[0][2]!r}, {ROOTS[7]!r})\n"
        f"bad = m.verify_consistency(0, 8, {ROOTS[0]!r}, {ROOTS[7]!r}, [])\n"
        "print(json.dumps({'ok': ok, 'bad': bad, 'django': sorted(n for n in sys.modules if n.split('.')[0] in ('django', 'lawenforce', 'celery'))}))\n"
    )
    result = subprocess.run(
        [sys.executable, "-I", "-c", code], cwd=tmp_path, env=clean_env(), capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out == {"ok": True, "bad": False, "django": []}


def test_command_line_inclusion_and_consistency_exit_zero_or_one():
    index, size, proof = INCLUSION[1]
    good = run_isolated(
        "inclusion", "--index", str(index), "--size", str(size), "--leaf-hash", HASHES[index].hex(),
        "--root", ROOTS[size - 1], "--proof", ",".join(proof),
    )  # fmt: skip
    assert good.returncode == 0, good.stderr
    wrong = run_isolated(
        "inclusion", "--index", str(index + 1), "--size", str(size), "--leaf-hash", HASHES[index].hex(),
        "--root", ROOTS[size - 1], "--proof", ",".join(proof),
    )  # fmt: skip
    assert wrong.returncode == 1
    size1, size2, proof = CONSISTENCY[1]
    assert run_isolated(
        "consistency", "--size1", str(size1), "--size2", str(size2), "--root1", ROOTS[size1 - 1],
        "--root2", ROOTS[size2 - 1], "--proof", ",".join(proof),
    ).returncode == 0  # fmt: skip
    assert run_isolated(
        "consistency", "--size1", "0", "--size2", str(size2), "--root1", ROOTS[size1 - 1],
        "--root2", ROOTS[size2 - 1], "--proof", ",".join(proof),
    ).returncode == 1  # fmt: skip
    assert run_isolated("consistency", "--size1", "x").returncode == 2  # usage error
    assert run_isolated("archive", "manifest.json").returncode == 1  # reserved


@pytest.mark.parametrize("algorithm", ["sm2", "ed25519"])
def test_command_line_checks_a_signed_checkpoint(tmp_path, algorithm):
    key = signing.SigningKey.generate("zfpt.example.gov.cn/ledger", algorithm)
    note, _ = signing.sign_note(signing.checkpoint_text(key.name, 8, bytes.fromhex(ROOTS[7])), key)
    path = tmp_path / "checkpoint.txt"
    path.write_text(note, encoding="utf-8")
    ok = run_isolated("checkpoint", str(path), "--key", key.vkey)
    if algorithm == "ed25519" and "cryptography" in ok.stderr:
        pytest.skip("the isolated interpreter has no cryptography package")
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout) == {"origin": key.name, "size": 8, "root": ROOTS[7]}
    assert run_isolated("checkpoint", "-", "--key", key.vkey, stdin=note.replace("\n8\n", "\n9\n")).returncode == 1
    other = signing.SigningKey.generate(key.name, algorithm)
    assert run_isolated("checkpoint", str(path), "--key", other.vkey).returncode == 1


def test_running_it_as_a_module_of_the_package_imports_no_django():
    code = (
        "import runpy, sys\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        "sys.argv = ['verify', 'consistency', '--size1', '1', '--size2', '1', '--root1', '00'*32, '--root2', '00'*32]\n"
        "try:\n"
        "    runpy.run_module('lawenforce.ledger.verify', run_name='__main__')\n"
        "except SystemExit as exit:\n"
        "    assert exit.code == 0, exit.code\n"
        "assert not [n for n in sys.modules if n.split('.')[0] == 'django'], 'django imported'\n"
    )
    result = subprocess.run(
        [sys.executable, "-I", "-c", code], cwd="/", env=clean_env(), capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr


def test_python_dash_m_works_in_the_project():
    result = subprocess.run(
        [sys.executable, "-m", "lawenforce.ledger.verify", "inclusion", "--index", "0", "--size", "1",
         "--leaf-hash", HASHES[0].hex(), "--root", HASHES[0].hex()],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
