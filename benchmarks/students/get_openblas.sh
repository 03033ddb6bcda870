#!/bin/sh
# Unpack Debian's OpenBLAS into runs/openblas for this folder only (no system change:
# installing libopenblas0 system-wide would switch every user's libblas.so.3).
set -e
dir="$(dirname "$0")/runs/openblas"
mkdir -p "$dir"
cd "$dir"
apt-get download libopenblas0-pthread
dpkg -x libopenblas0-pthread_*.deb root
ls root/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3
