"""Tree hashing and proofs: RFC 6962 vectors (transparency-dev/merkle), SM3, malformed input."""

import hashlib
import itertools

import pytest

from lawenforce.ledger import merkle
from lawenforce.ledger.verify import verify_consistency, verify_inclusion

# The RFC 6962 test data of github.com/transparency-dev/merkle (proof/verify_test.go).
LEAVES = [
    bytes.fromhex(h)
    for h in ["", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"]
]
ROOTS = [
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]
# (index, size, proof): the published inclusion proofs (0-based index).
INCLUSION = [
    (0, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"]),
    (5, 8, ["bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
    (2, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]),
    (1, 5, ["6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"]),
]  # fmt: skip
CONSISTENCY = [
    (1, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"]),
    (6, 8, ["0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
    (2, 5, ["5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"]),
    (6, 7, ["0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
]  # fmt: skip

HASHES = [merkle.leaf_hash(leaf) for leaf in LEAVES]


def root_of(n):
    return bytes.fromhex(ROOTS[n - 1])


def test_roots_of_sizes_one_to_eight_match_the_vectors():
    for n in range(1, 9):
        assert merkle.root(HASHES[:n]).hex() == ROOTS[n - 1]
    assert merkle.root([]) == hashlib.sha256(b"").digest()


def test_compact_range_gives_the_same_root_at_every_size():
    cr = merkle.CompactRange()
    for n, h in enumerate(HASHES, start=1):
        cr.append(h)
        assert cr.root() == root_of(n)
        assert len(cr.hashes) == bin(n).count("1")


@pytest.mark.parametrize(("index", "size", "proof"), INCLUSION)
def test_published_inclusion_proofs_are_produced_and_verified(index, size, proof):
    assert [h.hex() for h in merkle.inclusion_proof(index, HASHES[:size])] == proof
    assert verify_inclusion(index, size, HASHES[index], proof, ROOTS[size - 1])


@pytest.mark.parametrize(("size1", "size2", "proof"), CONSISTENCY)
def test_published_consistency_proofs_are_produced_and_verified(size1, size2, proof):
    assert [h.hex() for h in merkle.consistency_proof(size1, HASHES[:size2])] == proof
    assert verify_consistency(size1, size2, ROOTS[size1 - 1], ROOTS[size2 - 1], proof)


def test_every_inclusion_proof_of_every_tree_up_to_eight_verifies_and_only_there():
    for size in range(1, 9):
        for index in range(size):
            proof = merkle.inclusion_proof(index, HASHES[:size])
            assert verify_inclusion(index, size, HASHES[index], proof, root_of(size))
            # Wrong index, wrong size, wrong leaf, a flipped bit, a dropped or added hash: all refused.
            assert not verify_inclusion((index + 1) % size, size, HASHES[index], proof, root_of(size)) or size == 1
            assert not verify_inclusion(index, size * 2, HASHES[index], proof, root_of(size))
            assert not verify_inclusion(index, size, HASHES[(index + 1) % 8], proof, root_of(size))
            for i in range(len(proof)):
                bad = list(proof)
                bad[i] = bytes([bad[i][0] ^ 8]) + bad[i][1:]
                assert not verify_inclusion(index, size, HASHES[index], bad, root_of(size))
            if proof:
                assert not verify_inclusion(index, size, HASHES[index], proof[:-1], root_of(size))
            assert not verify_inclusion(index, size, HASHES[index], [*proof, root_of(size)], root_of(size))


def test_every_consistency_proof_between_all_pairs_verifies_and_only_there():
    for size1, size2 in itertools.combinations_with_replacement(range(1, 9), 2):
        proof = merkle.consistency_proof(size1, HASHES[:size2])
        assert verify_consistency(size1, size2, root_of(size1), root_of(size2), proof), (size1, size2)
        if size1 == size2:
            assert proof == []
            continue
        assert not verify_consistency(size1, size2, root_of(size2), root_of(size1), proof)
        assert not verify_consistency(size1, size2, root_of(size1), root_of(size2), [])
        assert not verify_consistency(size1, size2, root_of(size1), root_of(size2), proof[:-1])
        assert not verify_consistency(size1, size2, root_of(size1), root_of(size2), [*proof, root_of(size1)])
        assert not verify_consistency(size1, size2 * 2, root_of(size1), root_of(size2), proof)
        for i in range(len(proof)):
            bad = list(proof)
            bad[i] = bytes([bad[i][0] ^ 16]) + bad[i][1:]
            assert not verify_consistency(size1, size2, root_of(size1), root_of(size2), bad)


def test_proof_builders_refuse_impossible_requests():
    with pytest.raises(ValueError):
        merkle.inclusion_proof(8, HASHES)
    with pytest.raises(ValueError):
        merkle.consistency_proof(0, HASHES)
    with pytest.raises(ValueError):
        merkle.consistency_proof(9, HASHES)


GOOD_PROOF = INCLUSION[0][2]


@pytest.mark.parametrize(
    "args",
    [
        (0, 8, HASHES[0][:31], GOOD_PROOF, ROOTS[7]),  # leaf hash one byte short
        (0, 8, HASHES[0] + b"\0", GOOD_PROOF, ROOTS[7]),  # one byte long
        (0, 8, HASHES[0], GOOD_PROOF, ROOTS[7][:-2]),  # root too short
        (0, 8, HASHES[0], [*GOOD_PROOF[:2], GOOD_PROOF[2][:-2]], ROOTS[7]),  # a proof hash too short
        (0, 8, HASHES[0], [*GOOD_PROOF[:2], "zz" * 32], ROOTS[7]),  # not hex
        (8, 8, HASHES[0], GOOD_PROOF, ROOTS[7]),  # index == size
        (9, 8, HASHES[0], GOOD_PROOF, ROOTS[7]),  # index > size
        (-1, 8, HASHES[0], GOOD_PROOF, ROOTS[7]),
        (0, 0, HASHES[0], [], ROOTS[7]),
        (None, 8, HASHES[0], GOOD_PROOF, ROOTS[7]),
        (0, None, HASHES[0], GOOD_PROOF, ROOTS[7]),
        (0, 8, None, GOOD_PROOF, ROOTS[7]),
        (0, 8, HASHES[0], None, ROOTS[7]),
        (0, 8, HASHES[0], GOOD_PROOF, None),
        (0, 8, HASHES[0], [None, *GOOD_PROOF[1:]], ROOTS[7]),
        (0, 8, HASHES[0], "".join(GOOD_PROOF), ROOTS[7]),  # a string, not a list
        (True, 8, HASHES[0], GOOD_PROOF, ROOTS[7]),
        (0, 8.0, HASHES[0], GOOD_PROOF, ROOTS[7]),
        (0, 2**70, HASHES[0], GOOD_PROOF, ROOTS[7]),
        (0, 8, HASHES[0], GOOD_PROOF * 30, ROOTS[7]),  # absurdly long
        (0, 8, object(), GOOD_PROOF, ROOTS[7]),
    ],
)
def test_malformed_inclusion_input_is_false_never_an_exception(args):
    assert verify_inclusion(*args) is False


def test_inclusion_with_an_unknown_algorithm_is_false():
    assert verify_inclusion(0, 8, HASHES[0], GOOD_PROOF, ROOTS[7]) is True
    assert verify_inclusion(0, 8, HASHES[0], GOOD_PROOF, ROOTS[7], algorithm="md5") is False
    assert verify_inclusion(0, 8, HASHES[0], GOOD_PROOF, ROOTS[7], algorithm=None) is False


@pytest.mark.parametrize(
    "args",
    [
        (0, 8, ROOTS[0], ROOTS[7], CONSISTENCY[0][2]),  # from size 0: refused
        (0, 0, hashlib.sha256(b"").digest(), hashlib.sha256(b"").digest(), []),
        (0, 1, ROOTS[0], ROOTS[0], []),
        (1, 8, ROOTS[0][:-2], ROOTS[7], CONSISTENCY[0][2]),
        (1, 8, ROOTS[0], ROOTS[7] + "00", CONSISTENCY[0][2]),
        (1, 8, ROOTS[0], ROOTS[7], [CONSISTENCY[0][2][0][:30], *CONSISTENCY[0][2][1:]]),
        (1, 8, ROOTS[0], ROOTS[7], ["not hex at all", *CONSISTENCY[0][2][1:]]),
        (8, 1, ROOTS[7], ROOTS[0], CONSISTENCY[0][2]),  # backwards
        (1, 1, ROOTS[0], ROOTS[1], []),  # equal sizes, different roots
        (1, 1, ROOTS[0], ROOTS[0], [ROOTS[0]]),  # equal sizes with a proof
        (None, 8, ROOTS[0], ROOTS[7], CONSISTENCY[0][2]),
        (1, None, ROOTS[0], ROOTS[7], CONSISTENCY[0][2]),
        (1, 8, None, ROOTS[7], CONSISTENCY[0][2]),
        (1, 8, ROOTS[0], None, CONSISTENCY[0][2]),
        (1, 8, ROOTS[0], ROOTS[7], None),
        (-1, 8, ROOTS[0], ROOTS[7], CONSISTENCY[0][2]),
        (1, 8, ROOTS[0], ROOTS[7], {"a": 1}),
    ],
)
def test_malformed_consistency_input_is_false_never_an_exception(args):
    assert verify_consistency(*args) is False


def test_sm3_is_the_standard_sm3():
    # GB/T 32905-2016, example 1.
    assert merkle.hash_function("sm3")(b"abc").hex() == (
        "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    )


def test_sm3_tree_hashes_with_the_rfc6962_prefixes_and_its_proofs_verify():
    sm3 = merkle.hash_function("sm3")
    leaves = [merkle.leaf_hash(leaf, "sm3") for leaf in LEAVES]
    assert leaves[1] == sm3(b"\x00\x00")
    assert merkle.root(leaves[:2], "sm3") == sm3(b"\x01" + leaves[0] + leaves[1])
    assert merkle.root(leaves[:3], "sm3") == sm3(b"\x01" + merkle.root(leaves[:2], "sm3") + leaves[2])
    assert merkle.root([], "sm3") == sm3(b"")
    assert merkle.root(leaves, "sm3") != root_of(8)
    roots = [merkle.root(leaves[:n], "sm3") for n in range(1, 9)]
    for size in range(1, 9):
        for index in range(size):
            proof = merkle.inclusion_proof(index, leaves[:size], "sm3")
            assert verify_inclusion(index, size, leaves[index], proof, roots[size - 1], algorithm="sm3")
            if size > 1:  # a one-leaf tree's root is its leaf hash, whatever the algorithm
                assert not verify_inclusion(index, size, leaves[index], proof, roots[size - 1], algorithm="sha256")
        for size1 in range(1, size + 1):
            proof = merkle.consistency_proof(size1, leaves[:size], "sm3")
            assert verify_consistency(size1, size, roots[size1 - 1], roots[size - 1], proof, algorithm="sm3")


def test_a_larger_tree_agrees_between_the_builder_and_the_verifier():
    leaves = [merkle.leaf_hash(str(i).encode()) for i in range(1000)]
    full = merkle.root(leaves)
    for index in (0, 1, 511, 512, 998, 999):
        assert verify_inclusion(index, 1000, leaves[index], merkle.inclusion_proof(index, leaves), full)
    for size1 in (1, 2, 3, 511, 512, 513, 999):
        proof = merkle.consistency_proof(size1, leaves)
        assert verify_consistency(size1, 1000, merkle.root(leaves[:size1]), full, proof)
