#!/usr/bin/python3
"""Write synthetic .u32 token files for a sanity run of the pipeline (no real text).

Documents come from sparse random Markov chains over cl100k_base ids: a "human"
chain and a "teacher" chain over an overlapping id set. Writes human.u32,
heldout.u32 and mixture.u32 (a share --rho of teacher tokens, documents shuffled),
each with its manifest, so loss curves show that training learns something.
"""

import argparse
import os

import numpy as np

import tokens


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out-dir", required=True, help="folder for the .u32 files")
    p.add_argument("--tokens", type=int, default=300_000, help="human training tokens (default 300k)")
    p.add_argument("--states", type=int, default=4000, help="distinct ids per chain (default 4000)")
    p.add_argument("--rho", type=float, default=0.2, help="teacher share of the mixture tokens (default 0.2)")
    p.add_argument("--seed", type=int, default=7)
    return p.parse_args(argv)


def chain(rng, ids, fanout=8):
    """(ids, successor index table, successor probabilities) of a sparse Markov chain."""
    succ = rng.integers(0, len(ids), size=(len(ids), fanout))
    probs = rng.dirichlet(np.full(fanout, 0.5), size=len(ids))
    return ids, succ, probs.cumsum(axis=1)


def sample_doc(rng, ch, length):
    """One document of `length` ids from a chain."""
    ids, succ, cum = ch
    state, out = rng.integers(len(ids)), np.empty(length, dtype=np.int64)
    for i, u in enumerate(rng.random(length)):
        out[i] = ids[state]
        state = succ[state, min(np.searchsorted(cum[state], u), cum.shape[1] - 1)]
    return out


def sample_docs(rng, ch, total):
    """Documents of 50..400 ids until `total` ids."""
    docs, n = [], 0
    while n < total:
        docs.append(sample_doc(rng, ch, int(rng.integers(50, 401))))
        n += len(docs[-1])
    return docs


def main(argv=None):
    args = parse_args(argv)
    rng = np.random.default_rng(args.seed)
    os.makedirs(args.out_dir, exist_ok=True)
    pool = rng.choice(100_000, size=int(args.states * 1.5), replace=False)
    human = chain(rng, pool[: args.states])
    teacher = chain(rng, pool[-args.states :])
    path = lambda name: os.path.join(args.out_dir, name)
    tokens.write_documents(path("human.u32"), sample_docs(rng, human, args.tokens), meta={"synthetic": "human"})
    tokens.write_documents(path("heldout.u32"), sample_docs(rng, human, args.tokens // 10), meta={"synthetic": "heldout"})
    mix_total = args.tokens // 3
    docs = sample_docs(rng, human, int(mix_total * (1 - args.rho))) + sample_docs(rng, teacher, int(mix_total * args.rho))
    docs = [docs[i] for i in rng.permutation(len(docs))]
    tokens.write_documents(path("mixture.u32"), docs, meta={"synthetic": "mixture", "rho": args.rho})
    print(f"wrote human.u32, heldout.u32, mixture.u32 to {args.out_dir}")


if __name__ == "__main__":
    main()
