# Sourced by scripts/test: a throw-away SMTP server for crates/server/tests/smtp.rs.
# aiosmtpd (from PyPI, in a virtual environment under target/) runs scripts/smtp_sink.py
# on a certificate of a throw-away CA made with openssl: STARTTLS and AUTH required on one
# port, implicit TLS and AUTH on another; each message is written to a directory.
# smtp_up exports CPOR_TEST_SMTP_HOST, _PORT (STARTTLS), _TLS_PORT (implicit TLS), _DIR
# (the messages), _CA (the CA's PEM), _USER and _PASSWORD; smtp_down stops it.

smtp_up() {
  if ! command -v openssl >/dev/null; then
    echo "installing openssl (Debian package)" >&2
    if [ "$(id -u)" = 0 ]; then
      apt-get update -qq >/dev/null
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openssl >/dev/null
    else
      sudo apt-get update -qq >/dev/null
      sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openssl >/dev/null
    fi
  fi
  local venv=${CPOR_SMTP_VENV:-target/smtp-venv}
  if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import aiosmtpd' 2>/dev/null; then
    echo "installing aiosmtpd into $venv" >&2
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q "aiosmtpd==1.4.6"
  fi
  CPOR_SMTP_SINK_DIR=$(mktemp -d /tmp/cpor-smtp.XXXXXX)
  local d=$CPOR_SMTP_SINK_DIR
  mkdir "$d/messages"
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=cpor test CA" \
    -keyout "$d/ca.key" -out "$d/ca.pem" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" \
    -keyout "$d/server.key" -out "$d/server.csr" 2>/dev/null
  printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' >"$d/ext.cnf"
  openssl x509 -req -in "$d/server.csr" -CA "$d/ca.pem" -CAkey "$d/ca.key" \
    -CAcreateserial -days 2 -extfile "$d/ext.cnf" -out "$d/server.pem" 2>/dev/null
  local password="sink-$RANDOM$RANDOM"
  SINK_USER=cpor-mailer SINK_PASSWORD=$password \
    "$venv/bin/python" scripts/smtp_sink.py "$d/messages" "$d/server.pem" "$d/server.key" \
    "$d/ready" >"$d/sink.log" 2>&1 &
  CPOR_SMTP_SINK_PID=$!
  for _ in $(seq 100); do
    [ -s "$d/ready" ] && break
    if ! kill -0 "$CPOR_SMTP_SINK_PID" 2>/dev/null; then
      cat "$d/sink.log" >&2
      echo "the SMTP sink did not start" >&2
      return 1
    fi
    sleep 0.1
  done
  if [ ! -s "$d/ready" ]; then
    cat "$d/sink.log" >&2
    echo "the SMTP sink did not become ready" >&2
    return 1
  fi
  local ports
  read -r -a ports <"$d/ready"
  export CPOR_TEST_SMTP_HOST=127.0.0.1
  export CPOR_TEST_SMTP_PORT=${ports[0]}
  export CPOR_TEST_SMTP_TLS_PORT=${ports[1]}
  export CPOR_TEST_SMTP_DIR=$d/messages
  export CPOR_TEST_SMTP_CA=$d/ca.pem
  export CPOR_TEST_SMTP_USER=cpor-mailer
  export CPOR_TEST_SMTP_PASSWORD=$password
}

smtp_down() {
  if [ -n "${CPOR_SMTP_SINK_PID:-}" ]; then
    kill "$CPOR_SMTP_SINK_PID" 2>/dev/null || true
    wait "$CPOR_SMTP_SINK_PID" 2>/dev/null || true
  fi
  if [ -n "${CPOR_SMTP_SINK_DIR:-}" ]; then
    rm -rf "$CPOR_SMTP_SINK_DIR"
  fi
}
