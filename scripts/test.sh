#!/bin/sh
# Installs the dependencies, builds Fanout and passes its whole test suite: first with ctest,
# then with the freshly built fanout itself (whose last line is "N passed, N failed, N skipped").
set -eu
cd "$(dirname "$0")/.."
scripts/install-deps.sh
# No optimisation and no debug info: the suite builds fastest that way on a 2-core CI machine.
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=
cmake --build build
(cd build && ctest --output-on-failure -j2 --timeout 600)
build/fanout --test-dir build -j auto --junit build/fanout-results.xml
