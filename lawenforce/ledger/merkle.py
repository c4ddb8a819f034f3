"""RFC 6962 / RFC 9162 Merkle tree hashing. Pure Python, no Django.

Leaf hash ``H(0x00 || data)``, node hash ``H(0x01 || left || right)``, the tree head of ``n`` leaves
is MTH (RFC 9162 §2.1.1): split at the largest power of two smaller than ``n``. The hash is SHA-256
("sha256", the international profile) or SM3 ("sm3", GB/T 32905, the commercial-cryptography
profile). Everything here works on leaf *hashes*; ``CompactRange`` builds a root from a stream of
them in O(n) time and O(log n) memory.
"""

import hashlib

LEAF_PREFIX = b"\x00"
NODE_PREFIX = b"\x01"
ALGORITHMS = ("sha256", "sm3")
HASH_SIZE = 32  # both SHA-256 and SM3


def _sm3_constructor():
    try:
        hashlib.new("sm3")
    except ValueError:  # OpenSSL without SM3: fall back to gmssl (pure Python, slow)
        from gmssl import sm3 as gm_sm3

        def digest(data):
            return bytes.fromhex(gm_sm3.sm3_hash(list(bytes(data))))

        return digest
    empty = hashlib.new("sm3")

    def digest(data):
        h = empty.copy()
        h.update(data)
        return h.digest()

    return digest


def _sha256_digest(data):
    return hashlib.sha256(data).digest()


_DIGESTS = {"sha256": _sha256_digest}


def hash_function(algorithm="sha256"):
    """``digest(data) -> bytes`` for "sha256" or "sm3"."""
    if algorithm not in ALGORITHMS:
        raise ValueError(f"unknown hash algorithm {algorithm!r}; expected one of {ALGORITHMS}")
    if algorithm not in _DIGESTS:
        _DIGESTS[algorithm] = _sm3_constructor()
    return _DIGESTS[algorithm]


def hash_constructor(algorithm="sha256"):
    """``new(data) -> hash object`` (``.digest()``), the cheapest per-call form for hot loops."""
    if algorithm == "sha256":
        return hashlib.sha256
    if algorithm != "sm3":
        raise ValueError(f"unknown hash algorithm {algorithm!r}; expected one of {ALGORITHMS}")
    try:
        empty = hashlib.new("sm3")
    except ValueError:
        digest = hash_function("sm3")

        class _Done:
            __slots__ = ("value",)

            def __init__(self, data):
                self.value = digest(data)

            def digest(self):
                return self.value

        return _Done

    def new(data):
        h = empty.copy()
        h.update(data)
        return h

    return new


def leaf_hasher(algorithm="sha256"):
    """A fast ``leaf_hash(data) -> bytes`` for streaming (no per-call algorithm lookup)."""
    if algorithm == "sha256":
        sha256 = hashlib.sha256

        def leaf(data):
            h = sha256(LEAF_PREFIX)
            h.update(data)
            return h.digest()

        return leaf
    digest = hash_function(algorithm)
    return lambda data: digest(LEAF_PREFIX + bytes(data))


def node_hasher(algorithm="sha256"):
    digest = hash_function(algorithm)
    return lambda left, right: digest(NODE_PREFIX + left + right)


def hash_empty(algorithm="sha256"):
    """MTH({}) = HASH(), the root of the empty tree."""
    return hash_function(algorithm)(b"")


def leaf_hash(data, algorithm="sha256"):
    return leaf_hasher(algorithm)(data)


def node_hash(left, right, algorithm="sha256"):
    return node_hasher(algorithm)(left, right)


def split_point(n):
    """The largest power of two strictly smaller than ``n`` (``n`` > 1)."""
    return 1 << ((n - 1).bit_length() - 1)


class CompactRange:
    """Streaming tree head: the roots of the perfect subtrees covering [0, size), left to right.

    ``append`` is amortised O(1) node hashes; ``root()`` folds the at most log2(size) subtree roots
    right to left, which is exactly MTH for any size.
    """

    __slots__ = ("algorithm", "size", "hashes", "_node")

    def __init__(self, algorithm="sha256"):
        self.algorithm = algorithm
        self.size = 0
        self.hashes = []
        self._node = node_hasher(algorithm)

    def append(self, leaf_hash):
        node, stack, size = self._node, self.hashes, self.size
        h = leaf_hash
        while size & 1:
            h = node(stack.pop(), h)
            size >>= 1
        stack.append(h)
        self.size += 1

    def extend(self, leaf_hashes):
        for h in leaf_hashes:
            self.append(h)
        return self

    def append_subtree(self, subtree_root, height):
        """Append the root of a perfect subtree of 2**height leaves; ``size`` must be a multiple of it."""
        width = 1 << height
        if self.size % width:
            raise ValueError(f"a subtree of {width} leaves cannot start at {self.size}")
        node, stack = self._node, self.hashes
        h, size = subtree_root, self.size >> height
        while size & 1:
            h = node(stack.pop(), h)
            size >>= 1
        stack.append(h)
        self.size += width

    def extend_fast(self, leaf_hashes):
        """``extend`` for a list, hashed level by level over the largest aligned perfect subtrees.

        The same result as ``extend``; the interior nodes are hashed in tight per-level loops
        (see ``perfect_root``) instead of one leaf at a time, which is what makes a full
        verification of a large log cheap.
        """
        pos, end = 0, len(leaf_hashes)
        while pos < end:
            start = self.size
            height = (end - pos).bit_length() - 1  # the largest power of two that fits ...
            if start:
                height = min(height, (start & -start).bit_length() - 1)  # ... and is aligned
            width = 1 << height
            self.append_subtree(perfect_root(leaf_hashes[pos : pos + width], self.algorithm), height)
            pos += width
        return self

    def root(self):
        stack = self.hashes
        if not stack:
            return hash_empty(self.algorithm)
        node = self._node
        h = stack[-1]
        for left in reversed(stack[:-1]):
            h = node(left, h)
        return h


def leaf_hashes(leaves, algorithm="sha256"):
    """``[leaf_hash(d) for d in leaves]`` in one tight loop."""
    new = hash_constructor(algorithm)
    return [new(LEAF_PREFIX + leaf).digest() for leaf in leaves]


def perfect_root(hashes, algorithm="sha256"):
    """The root over a power-of-two number of leaf hashes, one level at a time."""
    n = len(hashes)
    if n & (n - 1) or not n:
        raise ValueError(f"{n} is not a power of two")
    new = hash_constructor(algorithm)
    level = hashes
    while len(level) > 1:
        level = [new(NODE_PREFIX + left + right).digest() for left, right in zip(level[0::2], level[1::2], strict=True)]
    return level[0]


def _range_root(hashes, lo, hi, algorithm):
    return CompactRange(algorithm).extend_fast(hashes[lo:hi]).root()


def root(leaf_hashes, algorithm="sha256"):
    """MTH of a sequence of leaf hashes (the empty tree gives HASH(""))."""
    hashes = leaf_hashes if isinstance(leaf_hashes, list) else list(leaf_hashes)
    return CompactRange(algorithm).extend_fast(hashes).root()


def inclusion_ranges(index, n):
    """The leaf ranges [lo, hi) whose subtree roots make PATH(index, D[n]), in proof order.

    RFC 6962 §2.1.1 / RFC 9162 §2.1.3.1: split at the largest power of two smaller than the range,
    keep the side holding ``index``, the other side's root joins the path (leaf-side first).
    """
    if not 0 <= index < n:
        raise ValueError(f"index {index} is outside a tree of size {n}")
    ranges = []
    lo, hi = 0, n
    while hi - lo > 1:
        k = split_point(hi - lo)
        if index < lo + k:
            ranges.append((lo + k, hi))
            hi = lo + k
        else:
            ranges.append((lo, lo + k))
            lo += k
    ranges.reverse()
    return ranges


def consistency_ranges(size1, n):
    """The leaf ranges [lo, hi) whose subtree roots make PROOF(size1, D[n]), in proof order.

    RFC 6962 §2.1.2 / RFC 9162 §2.1.4.1 (SUBPROOF with b = true).
    """
    if not 0 < size1 <= n:
        raise ValueError(f"no consistency proof from size {size1} to size {n}")
    ranges = []
    lo, hi, m, complete = 0, n, size1, True
    while True:
        size = hi - lo
        if m == size:
            if not complete:
                ranges.append((lo, hi))
            break
        k = split_point(size)
        if m <= k:
            ranges.append((lo + k, hi))
            hi = lo + k
        else:
            ranges.append((lo, lo + k))
            lo += k
            m -= k
            complete = False
    ranges.reverse()
    return ranges


def subtrees(lo, hi):
    """The aligned perfect subtrees (level, index) that make up the leaves [lo, hi), left to right.

    Node (level, index) covers [index·2^level, (index+1)·2^level). For the ranges of a tree head or
    a proof (``lo`` a multiple of a power of two ≥ hi - lo), these are the binary decomposition of
    hi - lo, largest first, and folding their roots right to left (``fold``) gives MTH(D[lo:hi]).
    """
    out = []
    while lo < hi:
        level = (hi - lo).bit_length() - 1
        if lo:
            level = min(level, (lo & -lo).bit_length() - 1)
        out.append((level, lo >> level))
        lo += 1 << level
    return out


def fold(roots, algorithm="sha256"):
    """The tree head over consecutive perfect subtree roots (largest first): fold right to left."""
    if not roots:
        return hash_empty(algorithm)
    node = node_hasher(algorithm)
    h = roots[-1]
    for left in reversed(roots[:-1]):
        h = node(left, h)
    return h


def inclusion_proof(index, leaf_hashes, algorithm="sha256"):
    """PATH(index, D[n]) of RFC 6962 §2.1.1 / RFC 9162 §2.1.3.1, leaf-side first."""
    hashes = leaf_hashes if isinstance(leaf_hashes, list | tuple) else list(leaf_hashes)
    return [_range_root(hashes, lo, hi, algorithm) for lo, hi in inclusion_ranges(index, len(hashes))]


def consistency_proof(size1, leaf_hashes, algorithm="sha256"):
    """PROOF(size1, D[n]) of RFC 6962 §2.1.2 / RFC 9162 §2.1.4.1 (SUBPROOF with b = true)."""
    hashes = leaf_hashes if isinstance(leaf_hashes, list | tuple) else list(leaf_hashes)
    return [_range_root(hashes, lo, hi, algorithm) for lo, hi in consistency_ranges(size1, len(hashes))]
