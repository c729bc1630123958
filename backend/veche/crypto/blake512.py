"""BLAKE-512, the original SHA-3 finalist (not BLAKE2), as `@zk-kit/eddsa-poseidon` uses it.

Semaphore v4 derives an identity's secret scalar from `BLAKE-512(privateKey)` and its EdDSA
nonces from `BLAKE-512(hash[32:64] || message)`; no maintained Python package computes this
hash, so it is implemented here from the specification (Aumasson et al., "SHA-3 proposal BLAKE",
version 1.3, 2010: 16 rounds, 64-bit words). It is checked against the specification's test
vectors and against the JavaScript implementation in `tests/unit/test_crypto_blake512.py`.

Speed is irrelevant here (a few hashes per identity), so clarity comes first.
"""

_MASK = (1 << 64) - 1

_IV = (
    0x6A09E667F3BCC908, 0xBB67AE8584CAA73B, 0x3C6EF372FE94F82B, 0xA54FF53A5F1D36F1,
    0x510E527FADE682D1, 0x9B05688C2B3E6C1F, 0x1F83D9ABFB41BD6B, 0x5BE0CD19137E2179,
)  # fmt: skip

# The first 1,024 bits of the fractional part of pi.
_C = (
    0x243F6A8885A308D3, 0x13198A2E03707344, 0xA4093822299F31D0, 0x082EFA98EC4E6C89,
    0x452821E638D01377, 0xBE5466CF34E90C6C, 0xC0AC29B7C97C50DD, 0x3F84D5B5B5470917,
    0x9216D5D98979FB1B, 0xD1310BA698DFB5AC, 0x2FFD72DBD01ADFB7, 0xB8E1AFED6A267E96,
    0xBA7C9045F12C7F99, 0x24A19947B3916CF7, 0x0801F2E2858EFC16, 0x636920D871574E69,
)  # fmt: skip

_SIGMA = (
    (0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15),
    (14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3),
    (11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4),
    (7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8),
    (9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13),
    (2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9),
    (12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11),
    (13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10),
    (6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5),
    (10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0),
)

_ROUNDS = 16
_BLOCK_BYTES = 128

# (a, b, c, d) state indices of the four column steps, then the four diagonal steps.
_STEPS = (
    (0, 4, 8, 12), (1, 5, 9, 13), (2, 6, 10, 14), (3, 7, 11, 15),
    (0, 5, 10, 15), (1, 6, 11, 12), (2, 7, 8, 13), (3, 4, 9, 14),
)  # fmt: skip


def _rotr(x: int, n: int) -> int:
    return ((x >> n) | (x << (64 - n))) & _MASK


def _compress(h: list[int], block: bytes, counter: int) -> None:
    """Fold one 128-byte block into the chain value `h` (salt is zero, as in zk-kit)."""
    m = [int.from_bytes(block[i : i + 8], "big") for i in range(0, _BLOCK_BYTES, 8)]
    t0, t1 = counter & _MASK, counter >> 64
    v = [*h, _C[0], _C[1], _C[2], _C[3], t0 ^ _C[4], t0 ^ _C[5], t1 ^ _C[6], t1 ^ _C[7]]
    for rnd in range(_ROUNDS):
        s = _SIGMA[rnd % 10]
        for step, (a, b, c, d) in enumerate(_STEPS):
            x, y = s[2 * step], s[2 * step + 1]
            v[a] = (v[a] + v[b] + (m[x] ^ _C[y])) & _MASK
            v[d] = _rotr(v[d] ^ v[a], 32)
            v[c] = (v[c] + v[d]) & _MASK
            v[b] = _rotr(v[b] ^ v[c], 25)
            v[a] = (v[a] + v[b] + (m[y] ^ _C[x])) & _MASK
            v[d] = _rotr(v[d] ^ v[a], 16)
            v[c] = (v[c] + v[d]) & _MASK
            v[b] = _rotr(v[b] ^ v[c], 11)
    for i in range(8):
        h[i] ^= v[i] ^ v[i + 8]


def _pad(message: bytes) -> bytes:
    """Append the `1`, the zeros, the final `1` bit and the 128-bit big-endian bit length."""
    zeros = (111 - len(message)) % _BLOCK_BYTES
    # One padding byte left: the leading and the final 1 bits share it (0x80 | 0x01).
    tail = b"\x81" if zeros == 0 else b"\x80" + b"\x00" * (zeros - 1) + b"\x01"
    return message + tail + (8 * len(message)).to_bytes(16, "big")


def blake512(message: bytes) -> bytes:
    """Return the 64-byte BLAKE-512 digest of `message`.

    The counter of each block is the number of message bits up to its end, and zero for a block
    made of padding only, as the specification requires.
    """
    padded = _pad(message)
    total_bits = 8 * len(message)
    h = list(_IV)
    for start in range(0, len(padded), _BLOCK_BYTES):
        bits_so_far = 8 * start
        counter = 0 if bits_so_far >= total_bits else min(8 * (start + _BLOCK_BYTES), total_bits)
        _compress(h, padded[start : start + _BLOCK_BYTES], counter)
    return b"".join(word.to_bytes(8, "big") for word in h)
