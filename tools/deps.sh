#!/bin/sh
# The Debian packages authscope needs, in one place.
#   deps.sh check    fail with the exact apt-get command when a build library is missing
#   deps.sh install  install what is missing (as root), else print the command
#   deps.sh list     print every package name (what .ci/run installs)
#   deps.sh lab      install the IKE lab's packages (testdata/lab/run.sh; not CI)
BUILD_PKGS="make gcc pkg-config libpcre2-dev libpcap-dev libncurses-dev zlib1g-dev libarchive-dev libssl-dev libcmocka-dev"
TEST_PKGS="clang libclang-rt-14-dev tmux chromium python3 gzip zip tar"
LAB_PKGS="strongswan-charon strongswan-swanctl libcharon-extra-plugins freeradius tcpdump iproute2"
PC_MODULES="libpcre2-8 libpcap ncursesw zlib libarchive libcrypto cmocka"

missing_pkgs() {
    for p in $BUILD_PKGS $TEST_PKGS; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || printf '%s ' "$p"
    done
}

case "${1:-check}" in
list) echo $BUILD_PKGS $TEST_PKGS ;;
lab) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $LAB_PKGS ;;
check)
    if ! command -v pkg-config >/dev/null 2>&1; then
        echo "authscope: pkg-config is missing; run: apt-get install -y $BUILD_PKGS" >&2; exit 1
    fi
    for m in $PC_MODULES; do
        if ! pkg-config --exists "$m"; then
            echo "authscope: library '$m' not found; run: apt-get install -y $BUILD_PKGS" >&2
            exit 1
        fi
    done ;;
install)
    miss=$(missing_pkgs)
    [ -z "$miss" ] && exit 0
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "installing: $miss"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq && apt-get install -y -qq --no-install-recommends $miss >/dev/null ||
            { echo "apt-get install failed" >&2; exit 1; }
    else
        echo "missing packages; run as root: apt-get install -y $miss" >&2
        dpkg-query -W pkg-config >/dev/null 2>&1 || exit 1
    fi ;;
esac
