"""Token-id files shared with the TypeScript side (format in README.md).

A `.u32` file is a flat array of little-endian uint32 token ids of one tokenizer
(cl100k_base here). Every document is terminated by END_OF_DOCUMENT = 0xFFFFFFFF
(a missing terminator after the last document is tolerated). An optional manifest
`<file>.json` describes it; when present it is checked.
"""

import hashlib
import json
import os

import numpy as np

END_OF_DOCUMENT = 0xFFFFFFFF
FORMAT = "radiomark.tokens"
FORMAT_VERSION = 1
TOKENIZERS = {"cl100k_base": 100277, "r50k_base": 50257, "p50k_base": 50281, "o200k_base": 200019}
EOT_IDS = {"cl100k_base": 100257, "r50k_base": 50256, "p50k_base": 50256, "o200k_base": 199999}


class TokenFileError(ValueError):
    """A token file or its manifest is malformed."""


def read_ids(path):
    """Raw uint32 array of a .u32 file (terminators included)."""
    size = os.path.getsize(path)
    if size % 4:
        raise TokenFileError(f"{path}: size {size} is not a multiple of 4")
    return np.fromfile(path, dtype="<u4")


def split_documents(raw):
    """List of uint32 arrays, one per document, terminators removed, empty ones dropped."""
    ends = np.flatnonzero(raw == END_OF_DOCUMENT)
    docs, start = [], 0
    for end in ends.tolist() + [len(raw)]:
        if end > start:
            docs.append(raw[start:end])
        start = end + 1
    return docs


def read_manifest(path):
    """The manifest dict of a .u32 file, or None when it has none."""
    mpath = path + ".json"
    if not os.path.exists(mpath):
        return None
    with open(mpath, encoding="utf-8") as f:
        manifest = json.load(f)
    if manifest.get("format") != FORMAT or manifest.get("version") != FORMAT_VERSION:
        raise TokenFileError(f"{mpath}: not a {FORMAT} v{FORMAT_VERSION} manifest")
    return manifest


def file_sha256(path):
    """Hex SHA-256 of a file's bytes."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def check_manifest(path, manifest, docs, tokenizer):
    """Raise TokenFileError if the manifest disagrees with the file or the tokenizer."""
    if manifest["tokenizer"] != tokenizer:
        raise TokenFileError(f"{path}: tokenizer {manifest['tokenizer']}, expected {tokenizer}")
    ntok = sum(len(d) for d in docs)
    if manifest.get("documents", len(docs)) != len(docs) or manifest.get("tokens", ntok) != ntok:
        raise TokenFileError(f"{path}: manifest counts do not match the file")
    if "sha256" in manifest and manifest["sha256"] != file_sha256(path):
        raise TokenFileError(f"{path}: sha256 does not match the manifest")


def load_documents(path, tokenizer="cl100k_base"):
    """Documents of a .u32 file as uint32 arrays, validated; returns (docs, manifest)."""
    docs = split_documents(read_ids(path))
    manifest = read_manifest(path)
    if manifest is not None:
        check_manifest(path, manifest, docs, tokenizer)
    vocab = TOKENIZERS[tokenizer]
    for i, d in enumerate(docs):
        if d.size and int(d.max()) >= vocab:
            raise TokenFileError(f"{path}: document {i} has id {int(d.max())} >= {vocab}")
    return docs, manifest


def write_documents(path, docs, tokenizer="cl100k_base", meta=None):
    """Write documents (iterables of ints) as a .u32 file plus its manifest."""
    parts = []
    for d in docs:
        parts.append(np.asarray(d, dtype="<u4"))
        parts.append(np.array([END_OF_DOCUMENT], dtype="<u4"))
    raw = np.concatenate(parts) if parts else np.zeros(0, dtype="<u4")
    raw.tofile(path)
    manifest = {
        "format": FORMAT, "version": FORMAT_VERSION, "tokenizer": tokenizer,
        "vocabSize": TOKENIZERS[tokenizer], "documents": len(docs),
        "tokens": int(raw.size - len(docs)), "sha256": file_sha256(path), "meta": meta or {},
    }
    with open(path + ".json", "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=2)
    return manifest


def stream(docs, eot_id):
    """One int64 stream: each document followed by the tokenizer's end-of-text id."""
    out = []
    for d in docs:
        out.append(d.astype(np.int64))
        out.append(np.array([eot_id], dtype=np.int64))
    return np.concatenate(out)
