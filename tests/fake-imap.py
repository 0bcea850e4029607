#!/usr/bin/env python3
# tests/fake-imap.py - a scripted, hostile IMAP server for faults a real one
# cannot produce: STARTTLS stripped, PREAUTH before STARTTLS, garbage lines,
# a huge literal announced, a connection cut in the middle of a literal.
#
#   fake-imap.py --mode MODE --port-file FILE --log FILE [--cert C --key K]
#
# With --cert/--key the server speaks implicit TLS.  It serves one INBOX of
# three messages, and misbehaves where MODE says.  Every command received is
# appended to the log (LOGIN arguments replaced by "LOGIN ..."), so a test can
# tell whether a client sent credentials.
import argparse
import socket
import socketserver
import ssl
import sys
import threading
import time

MODES = ("starttls-stripped", "starttls-refused", "preauth", "garbage", "huge-literal",
         "cut-literal", "normal")

HEADER = ("From: Ana <ana@example.org>\r\nTo: me@example.org\r\n"
          "Subject: hello {n}\r\nMessage-ID: <fake-{n}@example.org>\r\n"
          "Date: Mon, 2 Mar 2026 10:00:00 +0000\r\n\r\n")


class Handler(socketserver.StreamRequestHandler):
    def log(self, line):
        with self.server.log_lock:
            with open(self.server.log_path, "a") as f:
                f.write(line + "\n")

    def send(self, data):
        if isinstance(data, str):
            data = data.encode()
        self.wfile.write(data)
        self.wfile.flush()

    def handle(self):
        mode = self.server.mode
        try:
            if mode == "preauth":
                self.send("* PREAUTH [CAPABILITY IMAP4rev1 STARTTLS] welcome, no login needed\r\n")
            else:
                caps = "IMAP4rev1 AUTH=PLAIN"
                if mode not in ("starttls-stripped",):
                    caps += " STARTTLS" if self.server.plain else ""
                self.send("* OK [CAPABILITY %s] fake server ready\r\n" % caps)
            while True:
                raw = self.rfile.readline(65536)
                if not raw:
                    return
                line = raw.decode("latin-1").rstrip("\r\n")
                parts = line.split(" ", 2)
                if len(parts) < 2:
                    self.send("* BAD what\r\n")
                    continue
                tag, cmd = parts[0], parts[1].upper()
                rest = parts[2] if len(parts) > 2 else ""
                if cmd == "UID" and rest:
                    sub = rest.split(" ", 1)
                    cmd = "UID " + sub[0].upper()
                    rest = sub[1] if len(sub) > 1 else ""
                self.log("LOGIN ..." if cmd == "LOGIN" else line)
                if not self.command(tag, cmd, rest):
                    return
        except (ConnectionError, ssl.SSLError, OSError):
            return

    def command(self, tag, cmd, rest):
        mode = self.server.mode
        if cmd == "CAPABILITY":
            self.send("* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n%s OK done\r\n" % tag)
        elif cmd == "STARTTLS":
            if mode == "starttls-refused":
                self.send("%s NO not today\r\n" % tag)
            else:
                self.send("%s BAD unknown command\r\n" % tag)
        elif cmd == "LOGIN":
            self.send("%s OK logged in\r\n" % tag)
        elif cmd == "LOGOUT":
            self.send("* BYE bye\r\n%s OK done\r\n" % tag)
            return False
        elif cmd == "LIST":
            self.send('* LIST () "/" INBOX\r\n%s OK done\r\n' % tag)
        elif cmd in ("EXAMINE", "SELECT"):
            self.send("* 3 EXISTS\r\n* OK [UIDVALIDITY 42] v\r\n* OK [UIDNEXT 4] n\r\n"
                      "%s OK [READ-ONLY] done\r\n" % tag)
        elif cmd == "UID SEARCH":
            self.send("* SEARCH 1 2 3\r\n%s OK done\r\n" % tag)
        elif cmd == "UID FETCH":
            return self.fetch(tag)
        elif cmd == "NOOP" or cmd == "STATUS":
            self.send("%s OK done\r\n" % tag)
        else:
            self.send("%s BAD unknown command\r\n" % tag)
        return True

    def fetch(self, tag):
        mode = self.server.mode
        date = '"02-Mar-2026 10:00:00 +0000"'
        if mode == "garbage":
            self.send("* 1 FETCH (UID 1 INTERNALDATE %s BODY[HEADER.FIELDS (FROM)] \x01\x02 ((( garbage\r\n"
                      % date)
            self.send("\x00\xff)))) more garbage {{{\r\n%s OK done\r\n" % tag)
            return True
        if mode == "huge-literal":
            # Announce 3.9 GB and keep sending until the client gives up.
            self.send("* 1 FETCH (UID 1 INTERNALDATE %s BODY[HEADER.FIELDS (FROM)] {3900000000}\r\n" % date)
            chunk = b"X" * 65536
            deadline = time.time() + 20
            while time.time() < deadline:
                self.send(chunk)
            return False
        if mode == "cut-literal":
            body = HEADER.format(n=1)
            self.send("* 1 FETCH (UID 1 INTERNALDATE %s BODY[HEADER.FIELDS (FROM)] {%d}\r\n%s"
                      % (date, len(body) + 5000, body))
            self.request.close()
            return False
        for n in (1, 2, 3):
            body = HEADER.format(n=n)
            self.send("* %d FETCH (UID %d INTERNALDATE %s BODY[HEADER.FIELDS (FROM TO)] {%d}\r\n%s)\r\n"
                      % (n, n, date, len(body), body))
        self.send("%s OK done\r\n" % tag)
        return True


class Server(socketserver.ThreadingMixIn, socketserver.TCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def get_request(self):
        sock, addr = super().get_request()
        if self.tls:
            sock = self.tls.wrap_socket(sock, server_side=True)
        return sock, addr


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mode", choices=MODES, required=True)
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--log", required=True)
    ap.add_argument("--cert")
    ap.add_argument("--key")
    args = ap.parse_args()

    srv = Server(("127.0.0.1", 0), Handler)
    srv.mode = args.mode
    srv.log_path = args.log
    srv.log_lock = threading.Lock()
    srv.tls = None
    srv.plain = not args.cert
    if args.cert:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(args.cert, args.key)
        srv.tls = ctx
    open(args.log, "a").close()
    with open(args.port_file + ".tmp", "w") as f:
        f.write("%d\n" % srv.server_address[1])
    import os
    os.rename(args.port_file + ".tmp", args.port_file)
    srv.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
