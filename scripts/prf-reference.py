#!/usr/bin/env python3
"""Independent reference implementation of the radiomark keyed PRF (docs/SPEC.md).

Pure Python 3 standard library, written separately from the TypeScript code in src/prf/ so
that the two can check each other. It implements HKDF-SHA256 (RFC 5869), SipHash-2-4, the
per-token mixer, the green rule, the three seeding schemes and the account layer (codewords,
window positions, digit sets, tally; docs/SPEC.md §11), checks itself against published vectors
(RFC 5869 test case 1; SipHash-2-4 reference vectors), and writes the test vectors used by
test/prf/*.test.ts and test/accounts/account-vectors.test.ts.

Usage:
    python3 scripts/prf-reference.py              # writes test/prf/vectors.json
    python3 scripts/prf-reference.py --accounts   # writes test/prf/account-vectors.json
    python3 scripts/prf-reference.py --check      # exits 1 unless both files are up to date
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
# Account layer (docs/SPEC.md §11): codewords, window positions, digit sets, tally
# --------------------------------------------------------------------------------------------

CODEWORD_DIGITS = 32
DIGIT_VALUES = 16
ID_DIGITS = 8
FEISTEL_ROUNDS = 8
# A token is in the set of a digit value iff its uniform is below this (src/accounts/
# account-marks.ts DIGIT_SET_THRESHOLD; recorded in the vector file, which the TS test checks).
DIGIT_SET_THRESHOLD = 1 << 30


def nibbles(word: int):
    """The 8 hex digits of a u32, most significant first."""
    return [(word >> (28 - 4 * i)) & 15 for i in range(8)]


class AccountCodeRef:
    def __init__(self, secret: bytes):
        self.round_key = derive_subkey(secret, "account-code/kgw", 16)
        self.check_key = derive_subkey(secret, "account-check/kgw", 16)

    def feistel_f(self, r: int, half: int) -> int:
        return siphash24(self.round_key, u32le(r, half)) & 0xFFFF

    def permute(self, account: int) -> int:
        assert 0 <= account <= MASK32
        left, right = account >> 16, account & 0xFFFF
        for r in range(FEISTEL_ROUNDS):
            left, right = right, left ^ self.feistel_f(r, right)
        return (left << 16) | right

    def unpermute(self, word: int) -> int:
        left, right = word >> 16, word & 0xFFFF
        for r in reversed(range(FEISTEL_ROUNDS)):
            left, right = right ^ self.feistel_f(r, left), left
        return (left << 16) | right

    def check_words(self, account: int):
        """The three u32 words behind digits 8-15, 16-23 and 24-31."""
        b0 = siphash24(self.check_key, u32le(0, account))
        b1 = siphash24(self.check_key, u32le(1, account))
        return [b0 & MASK32, b0 >> 32, b1 & MASK32]

    def digits(self, account: int):
        out = nibbles(self.permute(account))
        for w in self.check_words(account):
            out += nibbles(w)
        assert len(out) == CODEWORD_DIGITS
        return out

    def account_of(self, prefix) -> int:
        word = 0
        for d in prefix[:ID_DIGITS]:
            word = (word << 4) | (d & 15)
        return self.unpermute(word)


class AccountMarksRef:
    def __init__(self, secret: bytes, seeding: str, h: int):
        assert seeding in ("lefthash", "minhash")
        self.seeding, self.h = seeding, h
        self.account_seed_key = derive_subkey(secret, "account-seed/kgw", 16)
        salt_bytes = derive_subkey(secret, "account-salt/kgw", 4 * DIGIT_VALUES)
        self.salts = list(struct.unpack("<16I", salt_bytes))
        self.rank_key = derive_subkey(secret, "rank/kgw", 16)

    def seed_input(self, window):
        """The words the green-list seed is computed from (SPEC §6): the window or its anchor."""
        assert len(window) == self.h
        if self.seeding == "lefthash":
            return list(window)
        return [min_rank_token(self.rank_key, window)]

    def account_seed(self, words):
        s = siphash24(self.account_seed_key, u32le(*words))
        return s, s & MASK32, s >> 32

    @staticmethod
    def position(seed_hi: int) -> int:
        # The top 5 bits of the account seed (TS: (seedHi >>> 27) % 32, the modulo is a no-op).
        return seed_hi >> 27

    def membership(self, seed_lo: int, seed_hi: int, token: int) -> int:
        mask = 0
        for d in range(DIGIT_VALUES):
            if mixer(seed_lo, seed_hi ^ self.salts[d], token) < DIGIT_SET_THRESHOLD:
                mask |= 1 << d
        return mask


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


    check_prompt_rule_examples()


# --------------------------------------------------------------------------------------------
# Prompt exclusion (docs/SPEC.md §14), written from the text of the spec
# --------------------------------------------------------------------------------------------


def prompt_statuses(seeding: str, h: int, prompt, text, rank):
    """Status of each text token: 'prompt' (skipped), 'scored', or 'unscored' (no full window).

    anchor(w) is the seed input without the candidate token: the window itself (lefthash) or
    its minimum-rank token, ties to the smaller id (minhash, selfhash). `rank` maps a token to
    its rank; the spec's keyed rank is rank(rank_key, t) (see rank() above).
    """

    def anchor(window):
        if seeding == "lefthash":
            return tuple(window)
        return min(window, key=lambda t: (rank(t), t))

    excluded = {anchor(prompt[e - h : e]) for e in range(h, len(prompt) + 1)} if prompt else set()
    ctx = list(prompt) + list(text)
    out = []
    for e in range(len(prompt), len(ctx)):
        if e < h:
            out.append("unscored")
        elif anchor(ctx[e - h : e]) in excluded:
            out.append("prompt")
        else:
            out.append("scored")
    return out


def check_prompt_rule_examples():
    # The worked examples of docs/SPEC.md §14 (h = 2, P = [5, 6, 7], T = [6, 7, 8, 5, 6]).
    prompt, text = [5, 6, 7], [6, 7, 8, 5, 6]
    assert prompt_statuses("lefthash", 2, prompt, text, lambda t: t) == [
        "prompt", "scored", "prompt", "scored", "scored"
    ]
    order = {5: 0, 8: 1, 6: 2, 7: 3}  # r(5) < r(8) < r(6) < r(7)
    assert prompt_statuses("minhash", 2, prompt, text, order.__getitem__) == [
        "prompt", "prompt", "prompt", "scored", "prompt"
    ]
    # h = 0 with a non-empty prompt scores nothing (the empty anchor is excluded).
    assert prompt_statuses("lefthash", 0, [1], [2, 3, 4], lambda t: t) == ["prompt"] * 3
    assert prompt_statuses("lefthash", 0, [], [2, 3], lambda t: t) == ["scored"] * 2


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


# --------------------------------------------------------------------------------------------
# Account-layer vectors
# --------------------------------------------------------------------------------------------

ACCOUNT_CONFIGS = [("lefthash", 0), ("lefthash", 1), ("lefthash", 2), ("lefthash", 4), ("minhash", 3)]
ACCOUNT_FIXED_IDS = [0, 1, 2, 42, 1234, 0xFFFF, 0x10000, 0x7FFFFFFF, 0x80000000, 0xDEADBEEF, 0xFFFFFFFE, 0xFFFFFFFF]
VOCAB = 200019  # o200k_base; window tokens stay below it (TS caches ranks per token id)


def u32_stream(label: str):
    """Deterministic u32s: SHA-256(label || u32le(counter)), 8 words per block."""
    counter = 0
    while True:
        block = hashlib.sha256(label.encode("utf-8") + u32le(counter)).digest()
        yield from struct.unpack("<8I", block)
        counter += 1


def digits_hex(digits) -> str:
    return "".join(format(d, "x") for d in digits)


def build_account_vectors():
    out = {
        "format": "radiomark-account-vectors",
        "version": 1,
        "generator": "scripts/prf-reference.py --accounts",
        "notes": (
            "Account layer of docs/SPEC.md section 11. codeword: the 32 digits of an account, one "
            "lowercase hex character per digit (digit 0 first); prefix: codeword digits 0-7. "
            "seed: account seed, lowercase hex of the u64; seedLo/seedHi/salts are u32; mask: bit d "
            "set iff the token is in the set of digit value d. tally: after counting every case of "
            "the group once, in order, as a scored tuple (seed input, token); cells lists the "
            "non-zero [position, digit value, count], perPosition the non-zero [position, count]; "
            "scores: score of the first accounts' codewords under that tally."
        ),
        "digitSetThreshold": DIGIT_SET_THRESHOLD,
        "keys": [],
    }
    for ki, secret in enumerate(SECRETS):
        code = AccountCodeRef(secret)
        rnd = u32_stream(f"radiomark account vectors {ki}")
        ids = ACCOUNT_FIXED_IDS + [next(rnd) for _ in range(8)]
        accounts = []
        for a in ids:
            digits = code.digits(a)
            assert code.account_of(digits) == a
            accounts.append({"account": a, "codeword": digits_hex(digits)})
        prefixes = [[0] * 8, [15] * 8, list(range(8))] + [
            [next(rnd) & 15 for _ in range(8)] for _ in range(5)
        ]
        inverse = []
        for pre in prefixes:
            a = code.account_of(pre)
            assert code.digits(a)[:8] == pre
            inverse.append({"prefix": digits_hex(pre), "account": a})
        first = AccountMarksRef(secret, "lefthash", 0)
        entry = {
            "secret": hexs(secret),
            "subkeys": {
                purpose: hexs(derive_subkey(secret, purpose, n))
                for purpose, n in [
                    ("account-code/kgw", 16),
                    ("account-check/kgw", 16),
                    ("account-seed/kgw", 16),
                    ("account-salt/kgw", 64),
                ]
            },
            "salts": first.salts,
            "accounts": accounts,
            "prefixes": inverse,
            "marks": [],
        }
        for seeding, h in ACCOUNT_CONFIGS:
            marks = AccountMarksRef(secret, seeding, h)
            cases = []
            cells = {}
            per_position = [0] * CODEWORD_DIGITS
            for wi in range(10):
                if wi == 0:
                    window = [0] * h
                elif wi == 1:
                    window = [7] * h  # repeated token
                else:
                    window = [next(rnd) % VOCAB for _ in range(h)]
                words = marks.seed_input(window)
                s, lo, hi = marks.account_seed(words)
                pos = marks.position(hi)
                for ti in range(3):
                    token = [0, 2147483647, None][ti] if wi < 2 else None
                    if token is None:
                        token = next(rnd) % VOCAB
                    mask = marks.membership(lo, hi, token)
                    cases.append(
                        {
                            "window": window,
                            "input": words,
                            "seed": u64hex(s),
                            "seedLo": lo,
                            "seedHi": hi,
                            "position": pos,
                            "token": token,
                            "mask": mask,
                        }
                    )
                    per_position[pos] += 1
                    for d in range(DIGIT_VALUES):
                        if mask >> d & 1:
                            cells[(pos, d)] = cells.get((pos, d), 0) + 1
            scores = []
            for acc in accounts[:4]:
                digits = [int(c, 16) for c in acc["codeword"]]
                scores.append(
                    {"account": acc["account"], "score": sum(cells.get((p, digits[p]), 0) for p in range(CODEWORD_DIGITS))}
                )
            entry["marks"].append(
                {
                    "seeding": seeding,
                    "h": h,
                    "cases": cases,
                    "tally": {
                        "tuples": len(cases),
                        "cells": [[p, d, n] for (p, d), n in sorted(cells.items())],
                        "perPosition": [[p, n] for p, n in enumerate(per_position) if n],
                        "scores": scores,
                    },
                }
            )
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
    vector_dir = Path(__file__).resolve().parent.parent / "test" / "prf"
    outputs = [
        (vector_dir / "vectors.json", build_vectors, ""),
        (vector_dir / "account-vectors.json", build_account_vectors, " --accounts"),
    ]
    if "--check" in sys.argv:
        stale = False
        for target, build, flag in outputs:
            if not target.exists() or target.read_text() != dumps(build()) + "\n":
                print(f"{target} is out of date: run python3 scripts/prf-reference.py{flag}", file=sys.stderr)
                stale = True
            else:
                print(f"{target.name} is up to date")
        if stale:
            sys.exit(1)
        return
    target, build, _ = outputs[1] if "--accounts" in sys.argv else outputs[0]
    target.write_text(dumps(build()) + "\n")
    print(f"wrote {target}")


if __name__ == "__main__":
    main()
