"""A throw-away SMTP server for the tests (scripts/smtp.sh starts it): aiosmtpd on
127.0.0.1, one port with STARTTLS required before AUTH and MAIL, one with implicit TLS;
both require AUTH with one user name and password. Each message received is written to
the directory as <n>.eml, preceded by X-Sink-* headers saying how it arrived.

usage: SINK_USER=… SINK_PASSWORD=… smtp_sink.py DIR CERT KEY READY_FILE
(READY_FILE receives "<starttls port> <implicit TLS port>" once both listen.)
"""

import itertools
import os
import socket
import ssl
import sys
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

out_dir, cert, key, ready_file = sys.argv[1:5]
user, password = os.environ["SINK_USER"], os.environ["SINK_PASSWORD"]
counter = itertools.count(1)
lock = threading.Lock()


def authenticator(server, session, envelope, mechanism, auth_data):
    ok = (
        auth_data is not None
        and auth_data.login == user.encode()
        and auth_data.password == password.encode()
    )
    if ok:
        session.sink_login = user
    return AuthResult(success=ok, handled=False)


class Sink:
    def __init__(self, mode):
        self.mode = mode

    async def handle_DATA(self, server, session, envelope):
        tls = session.ssl is not None or (
            server.transport is not None
            and server.transport.get_extra_info("ssl_object") is not None
        )
        login = getattr(session, "sink_login", "")
        head = (
            f"X-Sink-Mode: {self.mode}\r\n"
            f"X-Sink-TLS: {'yes' if tls else 'no'}\r\n"
            f"X-Sink-Auth: {login}\r\n"
            f"X-Sink-Mail-From: {envelope.mail_from}\r\n"
            f"X-Sink-Rcpt-To: {','.join(envelope.rcpt_tos)}\r\n"
        ).encode()
        with lock:
            n = next(counter)
        path = os.path.join(out_dir, f"{n}.eml")
        with open(path + ".part", "wb") as f:
            f.write(head + envelope.original_content)
        os.replace(path + ".part", path)
        return "250 OK"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
context.load_cert_chain(cert, key)

starttls = Controller(
    Sink("starttls"),
    hostname="127.0.0.1",
    port=free_port(),
    server_hostname="sink.cpor.test",
    tls_context=context,
    require_starttls=True,
    auth_required=True,
    authenticator=authenticator,
)
implicit = Controller(
    Sink("implicit"),
    hostname="127.0.0.1",
    port=free_port(),
    server_hostname="sink.cpor.test",
    ssl_context=context,
    auth_required=True,
    # The whole connection is TLS; aiosmtpd only counts STARTTLS as such.
    auth_require_tls=False,
    authenticator=authenticator,
)
starttls.start()
implicit.start()
with open(ready_file + ".part", "w") as f:
    f.write(f"{starttls.port} {implicit.port}\n")
os.replace(ready_file + ".part", ready_file)
threading.Event().wait()
