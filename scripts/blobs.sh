# Sourced by scripts/test: object-store emulators for crates/server/tests/blobs.rs.
# moto in server mode (PyPI) answers for S3, Azurite (npm) for Azure Blob Storage; each
# gets a bucket or container made here. blobs_up exports CPOR_TEST_S3_URL and
# CPOR_TEST_S3_OPTIONS, CPOR_TEST_AZ_URL and CPOR_TEST_AZ_OPTIONS (as cpor's --blob-url
# and --blob-option take them); blobs_down stops both.

blobs_up() {
  local venv=${CPOR_BLOB_VENV:-target/blob-venv}
  if [ ! -x "$venv/bin/moto_server" ] || ! "$venv/bin/python" -c 'import azure.storage.blob' 2>/dev/null; then
    echo "installing moto and the Azure SDK into $venv" >&2
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q "moto[server]==5.1.*" "azure-storage-blob==12.*"
  fi
  local azurite=${CPOR_AZURITE_DIR:-target/azurite}
  if [ ! -x "$azurite/node_modules/.bin/azurite-blob" ]; then
    echo "installing Azurite into $azurite" >&2
    mkdir -p "$azurite"
    npm install --prefix "$azurite" --no-audit --no-fund -s azurite@3 >/dev/null
  fi
  CPOR_BLOBS_DIR=$(mktemp -d /tmp/cpor-blobs.XXXXXX)
  local s3_port az_port
  s3_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  az_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  "$venv/bin/moto_server" -H 127.0.0.1 -p "$s3_port" >"$CPOR_BLOBS_DIR/moto.log" 2>&1 &
  CPOR_MOTO_PID=$!
  "$azurite/node_modules/.bin/azurite-blob" --blobHost 127.0.0.1 --blobPort "$az_port" \
    --location "$CPOR_BLOBS_DIR/azurite" --skipApiVersionCheck --loose \
    >"$CPOR_BLOBS_DIR/azurite.log" 2>&1 &
  CPOR_AZURITE_PID=$!
  local key="Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
  local az_endpoint="http://127.0.0.1:$az_port/devstoreaccount1"
  if ! S3_PORT=$s3_port AZ_ENDPOINT=$az_endpoint AZ_KEY=$key "$venv/bin/python" - <<'PY'
import os, time, urllib.request
import boto3
from azure.storage.blob import BlobServiceClient
deadline = time.time() + 60
while True:
    try:
        s3 = boto3.client("s3", endpoint_url=f"http://127.0.0.1:{os.environ['S3_PORT']}",
                          aws_access_key_id="test", aws_secret_access_key="test", region_name="us-east-1")
        s3.create_bucket(Bucket="cpor-test")
        conn = (f"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;"
                f"AccountKey={os.environ['AZ_KEY']};BlobEndpoint={os.environ['AZ_ENDPOINT']};")
        BlobServiceClient.from_connection_string(conn).create_container("cpor-test")
        break
    except Exception as e:
        if time.time() > deadline:
            raise
        time.sleep(0.5)
PY
  then
    cat "$CPOR_BLOBS_DIR/moto.log" "$CPOR_BLOBS_DIR/azurite.log" >&2
    echo "the object-store emulators did not start" >&2
    return 1
  fi
  export CPOR_TEST_S3_URL=s3://cpor-test/cpor
  export CPOR_TEST_S3_OPTIONS="endpoint=http://127.0.0.1:$s3_port,allow_http=true,region=us-east-1,access_key_id=test,secret_access_key=test"
  export CPOR_TEST_AZ_URL=az://cpor-test/cpor
  export CPOR_TEST_AZ_OPTIONS="account_name=devstoreaccount1,access_key=$key,endpoint=$az_endpoint,allow_http=true"
}

blobs_down() {
  for pid in ${CPOR_MOTO_PID:-} ${CPOR_AZURITE_PID:-}; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  if [ -n "${CPOR_BLOBS_DIR:-}" ]; then
    rm -rf "$CPOR_BLOBS_DIR"
  fi
}
