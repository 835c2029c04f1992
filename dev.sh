#!/usr/bin/env bash
# Set up stepgrad in ./.venv and run something in it.
#   ./dev.sh demo    set up, then run the demo
#   ./dev.sh test    set up for the tests, then run them
#   ./dev.sh quick   set up the test extras only (no browser tools), then run
#                    the tests not marked slow (CI's other Python versions)
#   ./dev.sh setup   only set up for the tests: the test extras (with
#                    JupyterLab), and for the browser test Chromium and
#                    playwright-core (tests/browser, through npm ci)
#   ./dev.sh lab     set up with JupyterLab, then open notebooks/ in it
#   ./dev.sh bench   set up (with micrograd), then run benchmarks/run.py
#   ./dev.sh bench-versions
#                    run benchmarks/versions.py: benchmarks/run.py on CPython
#                    3.10 to 3.13 one after another, each in its own
#                    .venv-bench-X.Y, as one table (options go to it)
#   ./dev.sh web     set up, then build the static site web/dist/ (web/build.py),
#                    with the lessons in JupyterLite in web/dist/lab/ (web/lab.py; its
#                    build tools in .venv-lab, from web/lab-requirements.txt)
# Needs Python >= 3.10.  Installs the system `dot` program (Graphviz),
# Python's venv module and, for the tests, Debian's chromium and Node.js
# through apt-get when they are missing and it may.  `setup` and `test`
# also install playwright-core for the browser tests (npm ci in
# tests/browser, which holds all their Node tooling) and build web/dist/
# (npm ci in web/, then web/build.py) when it is missing or older than its
# sources.
# Another Python in another venv: PYTHON=python3.13 VENV=.venv-3.13 ./dev.sh quick
set -euo pipefail
cd "$(dirname "$0")"

PYTHON=${PYTHON:-python3}
VENV=${VENV:-.venv}

say() { echo "dev.sh: $*" >&2; }

apt_install() {
    # apt_install PACKAGE...: install Debian packages as root or through sudo.
    local runner=""
    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null 2>&1; then runner="sudo"; else return 1; fi
    fi
    command -v apt-get >/dev/null 2>&1 || return 1
    say "installing $* with apt-get"
    $runner apt-get update -qq && DEBIAN_FRONTEND=noninteractive $runner apt-get install -y -qq "$@" >/dev/null
}

ensure_python() {
    command -v "$PYTHON" >/dev/null 2>&1 || { say "needs $PYTHON (Python >= 3.10)"; exit 1; }
    "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 10))' \
        || { say "needs Python >= 3.10, found $("$PYTHON" --version)"; exit 1; }
}

ensure_venv() {
    if [ -x "$VENV/bin/python" ]; then return; fi
    if ! "$PYTHON" -m venv "$VENV" 2>/dev/null; then
        rm -rf "$VENV"
        local version
        version=$("$PYTHON" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
        apt_install "python${version}-venv" || { say "install Python's venv module: sudo apt-get install python${version}-venv"; exit 1; }
        "$PYTHON" -m venv "$VENV"
    fi
}

ensure_dot() {
    if command -v dot >/dev/null 2>&1; then return; fi
    apt_install graphviz || say "no 'dot' program: drawings will not render. Install Graphviz: sudo apt-get install graphviz (or brew/conda install graphviz)"
}

install() {
    # install EXTRAS: the project in editable mode, with those extras.
    local extras=$1 stamp="$VENV/.installed-$1"
    if [ -f "$stamp" ] && [ "$stamp" -nt pyproject.toml ]; then return; fi
    say "installing stepgrad[$extras] into $VENV (log: $VENV/pip.log)"
    if ! { "$VENV/bin/python" -m pip install --upgrade pip \
            && "$VENV/bin/python" -m pip install -e ".[$extras]"; } >"$VENV/pip.log" 2>&1; then
        tail -n 20 "$VENV/pip.log" >&2
        say "pip failed; the whole log is in $VENV/pip.log"
        exit 1
    fi
    touch "$stamp"
}

ensure_npm() {
    command -v npm >/dev/null 2>&1 || apt_install nodejs npm \
        || say "no npm: the web build and the browser tests need Node.js: sudo apt-get install nodejs npm"
}

npm_ci() {
    # npm_ci DIR: install DIR's locked npm packages when node_modules is older than the lock file;
    # the log of web's is .venv/npm-web.log, of tests/browser's .venv/npm-tests-browser.log.
    local dir=$1 installed=$1/node_modules/.package-lock.json
    local log="$VENV/npm-${dir//\//-}.log"
    if [ -f "$installed" ] && [ "$installed" -nt "$dir/package-lock.json" ]; then return; fi
    command -v npm >/dev/null 2>&1 || return 1
    say "npm ci in $dir (log: $log)"
    (cd "$dir" && npm ci --no-audit --no-fund) >"$log" 2>&1 || { tail -n 20 "$log" >&2; return 1; }
}

web_is_stale() {
    [ -f web/dist/.built ] || return 0
    [ -n "$(find autograd nn notebooks web/src web/*.py web/lesson.html web/wheels.txt web/package-lock.json \
        web/lab-requirements.txt web/lab-wheels.txt pyproject.toml -newer web/dist/.built -print -quit)" ]
}

build_web() {
    # build_web: web/dist from web/src, npm and PyPI (web/build.py, which also builds web/dist/lab
    # with web/lab.py, setting up .venv-lab for it); on failure no web/dist/.built.
    say "building web/dist (log: $VENV/web-build.log)"
    if npm_ci web && "$VENV/bin/python" web/build.py >"$VENV/web-build.log" 2>&1; then return; fi
    tail -n 20 "$VENV/web-build.log" >&2 2>/dev/null || true
    rm -f web/dist/.built
    say "building web/dist failed; the whole log is in $VENV/web-build.log"
    return 1
}

setup_browser_tests() {
    # What the browser tests need besides the venv; a test that still lacks
    # something skips saying what (with CI=true it fails: tests/browser/tools.py).
    command -v chromium >/dev/null 2>&1 || apt_install chromium \
        || say "no chromium: the browser tests will skip. Install it: sudo apt-get install chromium"
    ensure_npm
    npm_ci tests/browser || say "npm ci in tests/browser failed: the browser tests (tests/browser) will skip"
    if web_is_stale; then build_web || true; fi
}

setup() {
    # setup EXTRAS [quick]: the venv with those extras; for `test` not quick, the browser tests' tools too.
    ensure_python
    ensure_venv
    ensure_dot
    install "$1"
    if [ "$1" = test ] && [ "${2:-}" != quick ]; then setup_browser_tests; fi
}

case "${1:-}" in
    demo)  setup demo;  shift; exec "$VENV/bin/stepgrad" demo "$@" ;;
    test)  setup test;  shift; exec "$VENV/bin/python" -m pytest "$@" ;;
    quick) setup test quick; shift; exec "$VENV/bin/python" -m pytest -m "not slow" "$@" ;;
    setup) setup test ;;
    web)   setup web;   ensure_npm; build_web ;;
    lab)   setup lab;   shift
           # Jupyter refuses to run as root (as in many containers) unless told to.
           if [ "$(id -u)" -eq 0 ]; then set -- --allow-root "$@"; fi
           exec "$VENV/bin/jupyter" lab --notebook-dir=notebooks "$@" ;;
    bench) setup bench; shift; exec "$VENV/bin/python" benchmarks/run.py "$@" ;;
    bench-versions) ensure_python; shift; exec "$PYTHON" benchmarks/versions.py "$@" ;;
    *) say "usage: ./dev.sh demo | test | quick | setup | lab | bench | bench-versions | web"; exit 2 ;;
esac
