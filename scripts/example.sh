#!/bin/sh
# Installs the dependencies, builds Fanout and the bundled example project, and runs the
# example's tests through fanout: terminal report on stdout, JUnit in examples/build/.
set -eu
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DFANOUT_BUILD_TESTS=OFF
cmake --build build --target fanout
cmake -S examples -B examples/build -G Ninja
cmake --build examples/build
build/fanout --test-dir examples/build -j auto --junit examples/build/results.xml
echo "JUnit report: examples/build/results.xml"
