"""Reference logits computed by PyTorch, for checking an ONNX runtime without Python.

JSON layout (README.md): `model`, `vocabSize`, `tolerance`, `checkIds` and `cases`;
each case has `input_ids` (and `attention_mask` when the model takes one), and per
[batch][position]: `logits` at checkIds, `argmax`, `max`, `mean` and `logsumexp`
over the full vocabulary. Positions whose attention_mask is 0 are not meaningful.
"""

import os

import numpy as np
import torch

TOLERANCE = 1e-4


def pick_ids(rng, kept, full_vocab, n):
    """n input ids: mostly kept ids, some unused ones (they map to OTHER)."""
    unused = np.setdiff1d(rng.integers(0, full_vocab, size=4 * n), kept)
    ids = rng.choice(kept, size=n)
    swap = rng.random(n) < 0.15
    ids[swap] = rng.choice(unused, size=int(swap.sum()))
    return ids


def default_cases(kept, context, with_mask, seed=1234, full_vocab=100277):
    """Fixed inputs: [2, 8], [1, min(21, context)], [1, context], and left padding if masked."""
    rng = np.random.default_rng(seed)
    shapes = [(2, 8), (1, min(21, context)), (1, context)]
    cases = []
    for b, t in shapes:
        ids = pick_ids(rng, kept, full_vocab, b * t).reshape(b, t)
        case = {"name": f"batch{b}-seq{t}", "input_ids": ids}
        if with_mask:
            case["attention_mask"] = np.ones_like(ids)
        cases.append(case)
    if with_mask:
        ids = pick_ids(rng, kept, full_vocab, 12).reshape(2, 6)
        mask = np.ones_like(ids)
        mask[1, :2] = 0
        ids[1, :2] = 0
        cases.append({"name": "left-padding", "input_ids": ids, "attention_mask": mask})
    return cases


def check_ids(kept, full_vocab, seed=99, max_kept=384):
    """Full ids whose logits are recorded: kept ids (sampled if many), unused ones, edges."""
    rng = np.random.default_rng(seed)
    k = kept if len(kept) <= max_kept else np.sort(rng.choice(kept, size=max_kept, replace=False))
    unused = np.setdiff1d(rng.integers(0, full_vocab, size=64), kept)[:32]
    return np.unique(np.concatenate([k, unused, [0, full_vocab - 1]])).astype(np.int64)


def stats(logits, ids):
    """Per-position summaries of [b, t, V] float32 logits, as float64 lists."""
    x = logits.astype(np.float64)
    m = x.max(axis=-1)
    lse = m + np.log(np.exp(x - m[..., None]).sum(axis=-1))
    return {"logits": np.round(x[..., ids], 7).tolist(), "argmax": x.argmax(axis=-1).tolist(),
            "max": m.tolist(), "mean": x.mean(axis=-1).tolist(), "logsumexp": lse.tolist()}


@torch.no_grad()
def run_case(model, case):
    """Full-vocabulary logits of one case as float32 numpy."""
    ids = torch.from_numpy(case["input_ids"].astype(np.int64))
    mask = case.get("attention_mask")
    out = model(ids) if mask is None else model(ids, torch.from_numpy(mask.astype(np.int64)))
    return out.numpy().astype(np.float32)


def build(model, onnx_path, cases, kept, full_vocab):
    """The reference JSON object for `cases`."""
    ids = check_ids(kept, full_vocab)
    out = {"model": os.path.basename(onnx_path), "vocabSize": full_vocab, "tolerance": TOLERANCE,
           "checkIds": ids.tolist(), "cases": []}
    for case in cases:
        row = {"name": case["name"], "input_ids": case["input_ids"].tolist()}
        if "attention_mask" in case:
            row["attention_mask"] = case["attention_mask"].tolist()
        row.update(stats(run_case(model, case), ids))
        out["cases"].append(row)
    return out
