#!/usr/bin/python3
"""Run several fine-tune / export jobs in one interpreter (torch starts once).

Usage: ./py batch.py JOBS.json, where JOBS.json is a list of ["finetune" | "export", argv...]
(the argv of finetune.py / export_onnx.py). One JSON line per finished job on stdout.
"""

import json
import sys

import export_onnx
import finetune

SCRIPTS = {"finetune": finetune.main, "export": export_onnx.main}


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1:
        raise SystemExit(__doc__)
    with open(argv[0], encoding="utf-8") as f:
        jobs = json.load(f)
    for job in jobs:
        if job[0] not in SCRIPTS:
            raise SystemExit(f"unknown job {job[0]!r}")
        SCRIPTS[job[0]](job[1:])
        print(json.dumps({"done": job[0], "argv": job[1:]}), flush=True)


if __name__ == "__main__":
    main()
