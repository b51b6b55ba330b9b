# A headless browser for the browser tests (crates/server/tests/browser.rs): `browser_up`
# installs Debian's `chromium` and `chromium-driver` when they are missing, installs
# axe-core from npm into target/axe when it is missing, starts chromedriver on a free
# local port, and exports CPOR_WEBDRIVER_URL and CPOR_AXE_JS (the path of axe.min.js);
# `browser_down` stops chromedriver again.

CPOR_AXE_VERSION=4.11.1

# Installs Debian's packages that provide the commands named, when a command is missing.
browser_apt() {
  local missing=() cmd
  for cmd in "$@"; do
    command -v "${cmd%%=*}" >/dev/null || missing+=("${cmd#*=}")
  done
  [ "${#missing[@]}" = 0 ] && return 0
  echo "installing ${missing[*]} from Debian's packages" >&2
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1
  else
    sudo apt-get update -qq >/dev/null
    sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1
  fi
  for cmd in "$@"; do
    command -v "${cmd%%=*}" >/dev/null || {
      echo "${cmd%%=*} is not installed and could not be installed (Debian package ${cmd#*=})" >&2
      return 1
    }
  done
}

browser_install() {
  browser_apt chromium=chromium chromedriver=chromium-driver
}

axe_install() {
  local dir=${CARGO_TARGET_DIR:-target}/axe
  local js=$dir/node_modules/axe-core/axe.min.js
  if [ ! -f "$js" ] || ! grep -q "\"version\": \"$CPOR_AXE_VERSION\"" "$dir/node_modules/axe-core/package.json"; then
    browser_apt npm=npm
    echo "installing axe-core $CPOR_AXE_VERSION from npm into $dir" >&2
    mkdir -p "$dir"
    npm install --silent --no-audit --no-fund --prefix "$dir" "axe-core@$CPOR_AXE_VERSION" >/dev/null
  fi
  [ -f "$js" ] || { echo "axe-core could not be installed into $dir" >&2; return 1; }
  CPOR_AXE_JS=$(cd "$(dirname "$js")" && pwd)/axe.min.js
  export CPOR_AXE_JS
}

# A TCP port nothing listens on now.
browser_free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

browser_up() {
  browser_install || return 1
  axe_install || return 1
  local port i
  port=$(browser_free_port)
  CPOR_CHROMEDRIVER_LOG=$(mktemp /tmp/cpor-chromedriver.XXXXXX)
  chromedriver --port="$port" --allowed-ips=127.0.0.1 >"$CPOR_CHROMEDRIVER_LOG" 2>&1 &
  CPOR_CHROMEDRIVER_PID=$!
  for i in $(seq 100); do
    if python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=1)' \
        "http://127.0.0.1:$port/status" 2>/dev/null; then
      break
    fi
    if ! kill -0 "$CPOR_CHROMEDRIVER_PID" 2>/dev/null || [ "$i" = 100 ]; then
      echo "chromedriver did not start:" >&2
      cat "$CPOR_CHROMEDRIVER_LOG" >&2
      return 1
    fi
    sleep 0.1
  done
  export CPOR_WEBDRIVER_URL="http://127.0.0.1:$port"
  echo "chromedriver $(chromedriver --version | awk '{print $2}') is up at $CPOR_WEBDRIVER_URL; axe-core $CPOR_AXE_VERSION at $CPOR_AXE_JS" >&2
}

browser_down() {
  [ -n "${CPOR_CHROMEDRIVER_PID:-}" ] || return 0
  kill "$CPOR_CHROMEDRIVER_PID" 2>/dev/null || true
  wait "$CPOR_CHROMEDRIVER_PID" 2>/dev/null || true
  rm -f "${CPOR_CHROMEDRIVER_LOG:-}"
  CPOR_CHROMEDRIVER_PID=
}
