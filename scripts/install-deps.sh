#!/bin/sh
# Installs everything Fanout needs to build and test on Debian 12 (run as root).
set -eu
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends \
  ca-certificates g++ cmake ninja-build make procps \
  libboost1.81-dev libboost-json1.81-dev libboost-filesystem1.81-dev libboost-test1.81-dev \
  libcli11-dev libarchive-dev libzstd-dev \
  googletest libgtest-dev libgmock-dev catch2 doctest-dev >/dev/null
