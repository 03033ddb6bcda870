#!/bin/sh
# End-to-end sanity run on synthetic data with a small size (a few minutes on a
# shared 2-core machine): synthetic files, pretrain, fine-tune, export, check the
# ONNX logits against PyTorch with onnxruntime-node (needs `npm ci` at the root).
set -e
cd "$(dirname "$0")"
out=runs/sanity
size="--layers 2 --d-model 64 --heads 2 --context 64 --batch 8"
./py make_synthetic.py --out-dir $out --tokens 100000
./py pretrain.py $out/human.u32 --vocab-from $out/mixture.u32 --heldout $out/heldout.u32 \
  -o $out/base.pt $size --steps 300 --warmup 20 --log-every 50 --lr 3e-3
./py finetune.py $out/base.pt $out/mixture.u32 -o $out/student.pt --heldout $out/heldout.u32 \
  --batch 8 --steps 100 --log-every 25
./py export_onnx.py $out/student.pt -o $out/student.onnx --reference $out/student.reference.json
node verify_onnx.mjs $out/student.onnx $out/student.reference.json
