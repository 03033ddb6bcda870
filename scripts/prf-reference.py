#!/usr/bin/env python3
"""Independent reference implementation of the radiomark keyed PRF (docs/SPEC.md).

Pure Python 3 standard library, written separately from the TypeScript code in src/prf/ so
that the two can check each other. It implements HKDF-SHA256 (RFC 5869), SipHash-2-4, the
per-token mixer, the green rule and the three seeding schemes, checks itself against
published vectors (RFC 5869 test case 1; SipHash-2-4 reference vectors), and writes the test
vectors used by test/prf/*.test.ts.

Usage:
    python3 scripts/prf-reference.py            # writes test/prf/vectors.json
    python3 scripts/prf-reference.py --check    # exits 1 if vectors.json is not up to date
"""

import hashlib
import hmac
import json
import struct
import sys
from pathlib import Path

MASK32 = 0xFFFFFFFF
MASK64 = 0xFFFFFFFFFFFFFFFF

# --------------------------------------------------------------------------------------------
# HKDF-SHA256 (RFC 5869)
# --------------------------------------------------------------------------------------------


def hkdf_sha256(ikm: bytes, salt: bytes, info: bytes, length: int) -> bytes:
    prk = hmac.new(salt, ikm, hashlib.sha256).digest()
    okm = b""
    block = b""
    counter = 1
    while len(okm) < length:
        block = hmac.new(prk, block + info + bytes([counter]), hashlib.sha256).digest()
        okm += block
        counter += 1
    return okm[:length]


SALT = b"radiomark/v1"
INFO_PREFIX = b"radiomark/v1/"


def derive_subkey(secret: bytes, purpose: str, length: int) -> bytes:
    assert len(secret) == 32
    return hkdf_sha256(secret, SALT, INFO_PREFIX + purpose.encode("utf-8"), length)


# --------------------------------------------------------------------------------------------
# SipHash-2-4 (Aumasson & Bernstein 2012), 64-bit integers
# --------------------------------------------------------------------------------------------


def _rotl(x: int, b: int) -> int:
    return ((x << b) | (x >> (64 - b))) & MASK64


def siphash24(key: bytes, msg: bytes) -> int:
    assert len(key) == 16
    k0, k1 = struct.unpack("<QQ", key)
    v = [
        k0 ^ 0x736F6D6570736575,
        k1 ^ 0x646F72616E646F6D,
        k0 ^ 0x6C7967656E657261,
        k1 ^ 0x7465646279746573,
    ]

    def rnd():
        v[0] = (v[0] + v[1]) & MASK64
        v[1] = _rotl(v[1], 13) ^ v[0]
        v[0] = _rotl(v[0], 32)
        v[2] = (v[2] + v[3]) & MASK64
        v[3] = _rotl(v[3], 16) ^ v[2]
        v[0] = (v[0] + v[3]) & MASK64
        v[3] = _rotl(v[3], 21) ^ v[0]
        v[2] = (v[2] + v[1]) & MASK64
        v[1] = _rotl(v[1], 17) ^ v[2]
        v[2] = _rotl(v[2], 32)

    n = len(msg)
    padded = msg + b"\x00" * (7 - n % 8) + bytes([n & 0xFF])
    for off in range(0, len(padded), 8):
        (m,) = struct.unpack_from("<Q", padded, off)
        v[3] ^= m
        rnd()
        rnd()
        v[0] ^= m
    v[2] ^= 0xFF
    for _ in range(4):
        rnd()
    return v[0] ^ v[1] ^ v[2] ^ v[3]


def u32le(*words: int) -> bytes:
    return b"".join(struct.pack("<I", w & MASK32) for w in words)


# --------------------------------------------------------------------------------------------
# Mixer, green rule, seeding schemes
# --------------------------------------------------------------------------------------------


def imul(a: int, b: int) -> int:
    return (a * b) & MASK32


def mixer(seed_lo: int, seed_hi: int, token: int) -> int:
    x = imul((token ^ seed_lo) & MASK32, 0x9E3779B1)
    x ^= seed_hi
    x ^= x >> 16
    x = imul(x, 0x85EBCA6B)
    x ^= x >> 13
    x = imul(x, 0xC2B2AE35)
    x ^= x >> 16
    return x


def green_threshold(gamma: float) -> int:
    assert 0 < gamma < 1
    return int(gamma * 2**32)  # floor for positive values; gamma * 2^32 is exact in binary64


def rank(rank_key: bytes, token: int) -> int:
    return siphash24(rank_key, u32le(token)) & MASK32


def min_rank_token(rank_key: bytes, tokens) -> int:
    return min(tokens, key=lambda t: (rank(rank_key, t), t))


def seed_of(seed_key: bytes, msg: bytes):
    s = siphash24(seed_key, msg)
    return s, s & MASK32, s >> 32


# --------------------------------------------------------------------------------------------
# Self-checks against published vectors
# --------------------------------------------------------------------------------------------


def self_check():
    # RFC 5869, Appendix A.1 (test case 1).
    okm = hkdf_sha256(
        bytes([0x0B] * 22), bytes(range(0x0D)), bytes(range(0xF0, 0xFA)), 42
    )
    assert okm.hex() == (
        "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865"
    ), okm.hex()
    # SipHash-2-4 paper (Appendix A) and the reference implementation's vectors.h
    # (vectors_sip64): key 00..0f, message 00..(len-1).
    key = bytes(range(16))
    assert siphash24(key, b"") == 0x726FDB47DD0E0E31
    assert siphash24(key, bytes(range(15))) == 0xA129CA6149BE45E5
    assert siphash24(key, bytes(range(63))) == 0x958A324CEB064572


# --------------------------------------------------------------------------------------------
# Vector generation
# --------------------------------------------------------------------------------------------

SECRETS = [
    bytes(range(32)),
    bytes([0xFF] * 32),
    hashlib.sha256(b"radiomark test vector secret").digest(),
]
SCHEMES = ["kgw", "gumbel"]
WINDOWS = [
    [],
    [50256],
    [464, 3290],
    [0, 1],
    [1, 0],
    [7, 7],
    [13, 200018, 4, 99999],
    [2, 3, 5, 7, 11, 13, 17, 19],
]
TOKENS = [0, 1, 2, 255, 256, 464, 3290, 50256, 100276, 200018, 2147483647]
GAMMAS = [0.25, 0.5]


def hexs(b: bytes) -> str:
    return b.hex()


def u64hex(x: int) -> str:
    return format(x, "016x")


def token_entry(seed_lo, seed_hi, v, extra=None):
    u = mixer(seed_lo, seed_hi, v)
    e = {"token": v}
    if extra:
        e.update(extra)
    e["uniform"] = u
    e["green"] = {str(g): u < green_threshold(g) for g in GAMMAS}
    return e


def build_vectors():
    key = bytes(range(16))
    out = {
        "format": "radiomark-prf-vectors",
        "version": 1,
        "generator": "scripts/prf-reference.py",
        "notes": (
            "u64 values are lowercase hex of the unsigned 64-bit integer (SipHash output bytes "
            "read little-endian); seedLo/seedHi/uniform/rank are unsigned 32-bit integers; "
            "byte strings are lowercase hex."
        ),
        "hkdf": {"salt": SALT.decode(), "infoPrefix": INFO_PREFIX.decode()},
        "siphash24": {
            "key": hexs(key),
            "messages": "message i = bytes 00..(i-1), i = 0..63",
            "u64": [u64hex(siphash24(key, bytes(range(i)))) for i in range(64)],
        },
        "thresholds": [
            {"gamma": g, "threshold": green_threshold(g)}
            for g in [0.25, 0.5, 0.1, 1 / 3, 0.9, 2**-32, 1 - 2**-53]
        ],
        "mixer": [],
        "keys": [],
    }
    mixer_cases = [
        (0, 0, 0),
        (0, 0, 1),
        (0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF),
        (0x01234567, 0x89ABCDEF, 42),
        (0xDEADBEEF, 0x00000000, 200018),
        (0x00000000, 0xDEADBEEF, 200018),
        (0x9E3779B9, 0x7F4A7C15, 2147483647),
    ]
    for lo, hi, t in mixer_cases:
        out["mixer"].append({"seedLo": lo, "seedHi": hi, "token": t, "uniform": mixer(lo, hi, t)})

    for secret in SECRETS:
        entry = {
            "secret": hexs(secret),
            "keyId": hexs(derive_subkey(secret, "key-id", 8)),
            "subkeys": {},
            "schemes": {},
        }
        for scheme in SCHEMES:
            for purpose in ("context-seed/" + scheme, "rank/" + scheme):
                entry["subkeys"][purpose] = hexs(derive_subkey(secret, purpose, 16))
        # Longer outputs exercise HKDF's multi-block expansion.
        entry["subkeys42"] = {"key-id": hexs(derive_subkey(secret, "key-id", 42))}

        scheme = "kgw"
        seed_key = derive_subkey(secret, "context-seed/" + scheme, 16)
        rank_key = derive_subkey(secret, "rank/" + scheme, 16)
        sch = {"ranks": [{"token": t, "rank": rank(rank_key, t)} for t in TOKENS], "cases": []}

        for w in WINDOWS:
            h = len(w)
            s, lo, hi = seed_of(seed_key, u32le(*w))
            sch["cases"].append(
                {
                    "seeding": "lefthash",
                    "h": h,
                    "window": w,
                    "seed": u64hex(s),
                    "seedLo": lo,
                    "seedHi": hi,
                    "tokens": [token_entry(lo, hi, v) for v in TOKENS],
                }
            )
            if h == 0:
                continue
            m = min_rank_token(rank_key, w)
            s, lo, hi = seed_of(seed_key, u32le(m))
            sch["cases"].append(
                {
                    "seeding": "minhash",
                    "h": h,
                    "window": w,
                    "anchor": m,
                    "seed": u64hex(s),
                    "seedLo": lo,
                    "seedHi": hi,
                    "tokens": [token_entry(lo, hi, v) for v in TOKENS],
                }
            )
            # selfhash: make sure both branches (anchor in the window / anchor = candidate)
            # occur: add the smallest ids whose rank beats the window's minimum, if any.
            mw = rank(rank_key, m)
            beaters = [v for v in range(4096) if (rank(rank_key, v), v) < (mw, m)][:2]
            cands = TOKENS + [v for v in beaters if v not in TOKENS] + [w[0]]
            toks = []
            for v in cands:
                a = min_rank_token(rank_key, w + [v])
                s, lo, hi = seed_of(seed_key, u32le(a))
                toks.append(
                    token_entry(lo, hi, v, {"anchor": a, "seed": u64hex(s), "seedLo": lo, "seedHi": hi})
                )
            sch["cases"].append({"seeding": "selfhash", "h": h, "window": w, "tokens": toks})
        entry["schemes"][scheme] = sch
        out["keys"].append(entry)
    return out


def dumps(x, indent=0):
    """JSON with one line per small object or array (readable diffs, compact file)."""
    flat = json.dumps(x)
    if len(flat) + indent <= 200 or not isinstance(x, (dict, list)):
        return flat
    pad = " " * (indent + 1)
    if isinstance(x, dict):
        items = [pad + json.dumps(k) + ": " + dumps(v, indent + 1) for k, v in x.items()]
        return "{\n" + ",\n".join(items) + "\n" + " " * indent + "}"
    items = [pad + dumps(v, indent + 1) for v in x]
    return "[\n" + ",\n".join(items) + "\n" + " " * indent + "]"


def main():
    self_check()
    target = Path(__file__).resolve().parent.parent / "test" / "prf" / "vectors.json"
    text = dumps(build_vectors()) + "\n"
    if "--check" in sys.argv:
        if not target.exists() or target.read_text() != text:
            print(f"{target} is out of date: run python3 scripts/prf-reference.py", file=sys.stderr)
            sys.exit(1)
        print("vectors.json is up to date")
        return
    target.write_text(text)
    print(f"wrote {target}")


if __name__ == "__main__":
    main()
