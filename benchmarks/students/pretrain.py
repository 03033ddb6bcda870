#!/usr/bin/python3
"""Pretrain the base student on human text.

Reads one or more .u32 token files (README.md), builds the compact vocabulary from
them plus any --vocab-from files (e.g. every fine-tuning mixture, so the
fine-tuned copies see no unknown ids), trains a CompactLM and writes a checkpoint.
Progress is printed as JSON lines (loss, tokens/s).
"""

import argparse
import json
import sys

import numpy as np
import torch

import tokens
import vocab
from model import CompactLM, Config, count_params
from train import add_train_args, save_checkpoint, set_threads, train


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("inputs", nargs="+", help=".u32 training files (human text)")
    p.add_argument("-o", "--out", required=True, help="checkpoint to write (.pt)")
    p.add_argument("--vocab-from", nargs="*", default=[], help="more .u32 files whose ids join the vocabulary")
    p.add_argument("--max-vocab", type=int, default=None, help="keep at most this many compact ids (OTHER included)")
    p.add_argument("--layers", type=int, default=4)
    p.add_argument("--d-model", type=int, default=192)
    p.add_argument("--heads", type=int, default=4)
    p.add_argument("--context", type=int, default=128)
    add_train_args(p, steps=2000, lr=1e-3)
    return p.parse_args(argv)


def load_all(paths, tokenizer):
    """Documents of every file, concatenated."""
    docs = []
    for path in paths:
        docs.extend(tokens.load_documents(path, tokenizer)[0])
    return docs


def compact_stream(docs, table, tokenizer):
    """Compact-id int64 stream of documents joined by the end-of-text token."""
    return table[tokens.stream(docs, tokens.EOT_IDS[tokenizer])]


def main(argv=None):
    args = parse_args(argv)
    set_threads(args.threads)
    torch.manual_seed(args.seed)
    full = tokens.TOKENIZERS[args.tokenizer]
    docs = load_all(args.inputs, args.tokenizer)
    extra = load_all(args.vocab_from, args.tokenizer)
    eot = tokens.EOT_IDS[args.tokenizer]
    kept = vocab.build([docs, extra], full, args.max_vocab, always=[eot])
    table = vocab.full_to_compact(kept, full)
    stream = compact_stream(docs, table, args.tokenizer)
    heldout = compact_stream(load_all([args.heldout], args.tokenizer), table, args.tokenizer) if args.heldout else None
    cfg = Config(vocab=len(kept) + 1, layers=args.layers, d_model=args.d_model, heads=args.heads, context=args.context)
    model = CompactLM(cfg)
    info = {"documents": len(docs), "tokens": int(len(stream)), "compactVocab": cfg.vocab,
            "otherShare": round(float(np.mean(stream == vocab.OTHER)), 6), "parameters": count_params(model)}
    print(json.dumps(info), file=sys.stderr)
    history = train(model, stream, args, heldout, log=lambda s: print(s, file=sys.stderr))
    meta = {"stage": "pretrain", "inputs": args.inputs, "args": vars(args), **info}
    save_checkpoint(args.out, model, kept, args.tokenizer, history, meta)
    print(json.dumps({"checkpoint": args.out, **info, "final": history[-1]}))


if __name__ == "__main__":
    main()
