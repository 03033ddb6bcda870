"""Compact vocabulary: the full-tokenizer ids a student actually models.

Compact id 0 is OTHER, the bucket for every full id outside the compact set; ids
1..C-1 are the kept full ids in increasing order. At export the model's OTHER logit
is spread evenly over the unused full ids (logit_other - ln(n_unused)), so the
full-vocabulary softmax equals the compact one with OTHER's mass shared uniformly.
"""

import hashlib

import numpy as np

OTHER = 0


def build(docs_lists, full_vocab, max_size=None, always=()):
    """Sorted full ids to keep: the most frequent (all if max_size is None) plus `always`."""
    counts = np.zeros(full_vocab, dtype=np.int64)
    for docs in docs_lists:
        for d in docs:
            counts += np.bincount(d, minlength=full_vocab)
    for i in always:
        counts[i] = max(counts[i], 1) + counts.max()
    used = np.flatnonzero(counts)
    if max_size is not None and len(used) > max_size - 1:
        order = np.lexsort((used, -counts[used]))  # by count desc, then id asc
        used = np.sort(used[order[: max_size - 1]])
    return used.astype(np.int64)


def full_to_compact(kept, full_vocab):
    """int64 table of length full_vocab: full id -> compact id (OTHER when not kept)."""
    table = np.full(full_vocab, OTHER, dtype=np.int64)
    table[kept] = np.arange(1, len(kept) + 1)
    return table


def compact_to_full(kept):
    """Compact id -> full id (OTHER maps to -1)."""
    return np.concatenate([[-1], kept]).astype(np.int64)


def map_hash(kept, full_vocab):
    """sha256 of the compact->full map: 'fullVocab' uint32 LE, then the kept ids as uint32 LE."""
    data = np.concatenate([[full_vocab], kept]).astype("<u4").tobytes()
    return hashlib.sha256(data).hexdigest()
