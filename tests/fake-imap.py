#!/usr/bin/env python3
# tests/fake-imap.py - a scripted, hostile IMAP server for faults a real one
# cannot produce: STARTTLS stripped, PREAUTH before STARTTLS, garbage lines,
# a huge literal announced, a connection cut in the middle of a literal.
#
#   fake-imap.py --mode MODE --port-file FILE --log FILE [--cert C --key K]
#
# With --cert/--key the server speaks implicit TLS.  It serves one INBOX of
# three messages, and misbehaves where MODE says: big-header sends 5 MB for
# UID 2 whatever was asked; list-literal and endless-line flood the LIST
# answer, endless-greeting the greeting; slow-fetch answers FETCH after
# --delay seconds; max-uid holds UID 4294967295; future-date has no Date
# and an INTERNALDATE in 2200; escape-folder names a folder with terminal
# escapes; trickle answers FETCH one byte every half second; status-empty
# offers IDLE and a Sent folder, and answers STATUS with a bare OK;
# badcharset-greeting greets with a code that crashes libetpan 1.9.4.  Every command received is
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
         "cut-literal", "normal", "big-header", "list-literal", "endless-line",
         "endless-greeting", "slow-fetch", "max-uid", "future-date", "escape-folder",
         "trickle", "status-empty", "badcharset-greeting", "permanentflags-greeting", "idle-code",
         "list-long-literal")
FLOOD = 300 * 1024 * 1024

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
            if mode == "endless-greeting":
                self.send("* OK ")
                self.flood()
                return
            if mode == "preauth":
                self.send("* PREAUTH [CAPABILITY IMAP4rev1 STARTTLS] welcome, no login needed\r\n")
            elif mode == "badcharset-greeting":
                self.send("* OK [BADCHARSET (UTF-8)] hello\r\n")
            elif mode == "permanentflags-greeting":
                self.send("* OK [PERMANENTFLAGS (\\Seen \\*)] hello\r\n")
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
            idle = " IDLE" if mode in ("status-empty", "idle-code") else ""
            self.send("* CAPABILITY IMAP4rev1 AUTH=PLAIN%s\r\n%s OK done\r\n" % (idle, tag))
        elif cmd == "IDLE":
            # libetpan parses a continuation without a parser context, as it does a greeting.
            self.send("+ [BADCHARSET (x y)] [PERMANENTFLAGS (\\Seen)] idling\r\n" if mode == "idle-code"
                      else "+ idling\r\n")
            if not self.rfile.readline(65536):
                return False
            self.log("DONE")
            self.send("%s OK idle done\r\n" % tag)
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
            if mode == "list-literal":
                self.send('* LIST () "/" {%d}\r\n' % FLOOD)
                self.flood()
                return False
            if mode == "list-long-literal":
                # More digits than any number holds: a reader that wraps them asks for gigabytes.
                self.send('* LIST () "/" {%s4}\r\n' % ("2" * 70))
                self.flood()
                return False
            if mode == "endless-line":
                self.send('* LIST () "/" INBOX')
                self.flood()
                return False
            if mode == "status-empty":
                self.send('* LIST (\\Sent) "/" Sent\r\n')
            if mode == "escape-folder":
                name = "Sent\x1b]0;owned\x07\x1b[2J\u009b31m".encode()
                self.send(b'* LIST (\\Sent) "/" {%d}\r\n%s\r\n' % (len(name), name))
            self.send('* LIST () "/" INBOX\r\n%s OK done\r\n' % tag)
        elif cmd in ("EXAMINE", "SELECT"):
            uids = sorted(self.messages())
            self.send("* %d EXISTS\r\n* OK [UIDVALIDITY 42] v\r\n* OK [UIDNEXT %d] n\r\n"
                      "%s OK [READ-ONLY] done\r\n" % (len(uids), min(uids[-1] + 1, 4294967295), tag))
        elif cmd == "UID SEARCH":
            first = int(rest.split()[1].split(":")[0]) if rest.split()[1][0].isdigit() else 0
            found = [u for u in sorted(self.messages()) if u >= first] or sorted(self.messages())[-1:]
            self.send("* SEARCH %s\r\n%s OK done\r\n" % (" ".join(map(str, found)), tag))
        elif cmd == "UID FETCH" and mode in ("big-header", "slow-fetch", "max-uid", "future-date",
                                             "escape-folder", "trickle"):
            return self.fetch_set(tag, rest.split(" ", 1)[0])
        elif cmd == "UID FETCH":
            return self.fetch(tag)
        elif cmd == "NOOP" or cmd == "STATUS":
            self.send("%s OK done\r\n" % tag)
        else:
            self.send("%s BAD unknown command\r\n" % tag)
        return True

    def flood(self):
        chunk = b"X" * 65536
        try:
            for _ in range(FLOOD // len(chunk)):
                self.send(chunk)
        except (ConnectionError, ssl.SSLError, OSError):
            pass

    def messages(self):
        mode = self.server.mode
        if mode == "max-uid":
            return {4294967294: HEADER.format(n=1), 4294967295: HEADER.format(n=2)}
        if mode == "future-date":
            return {1: "From: Ana <ana@example.org>\r\nTo: me@example.org\r\n"
                       "Subject: from the future\r\nMessage-ID: <future@example.org>\r\n\r\n"}
        msgs = {n: HEADER.format(n=n) for n in (1, 2, 3)}
        if mode == "big-header":
            msgs[2] = ("From: Ana <ana@example.org>\r\nTo: " +
                       ", ".join("r%d@example.org" % i for i in range(300000)) + "\r\n\r\n")
        return msgs

    def fetch_set(self, tag, uidset):
        """Answer UID FETCH for the UIDs asked, ignoring any partial range."""
        msgs = self.messages()
        want = set()
        for part in uidset.split(","):
            lo, _, hi = part.partition(":")
            lo = 4294967295 if lo == "*" else int(lo)
            hi = lo if not hi else (4294967295 if hi == "*" else int(hi))
            want.update(u for u in msgs if min(lo, hi) <= u <= max(lo, hi))
        if self.server.mode == "slow-fetch":
            time.sleep(self.server.delay)
        if self.server.mode == "trickle":
            body = HEADER.format(n=1)
            data = ("* 1 FETCH (UID 1 INTERNALDATE \"02-Mar-2026 10:00:00 +0000\" "
                    "BODY[HEADER.FIELDS (FROM TO)] {%d}\r\n%s)\r\n%s OK done\r\n" % (len(body), body, tag))
            for ch in data:
                self.send(ch)
                time.sleep(0.5)
            return True
        date = '"02-Mar-2200 10:00:00 +0000"' if self.server.mode == "future-date" \
            else '"02-Mar-2026 10:00:00 +0000"'
        for seq, uid in enumerate(sorted(msgs), 1):
            if uid not in want:
                continue
            body = msgs[uid]
            self.send("* %d FETCH (UID %d INTERNALDATE %s BODY[HEADER.FIELDS (FROM TO)] {%d}\r\n%s)\r\n"
                      % (seq, uid, date, len(body), body))
        self.send("%s OK done\r\n" % tag)
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
    ap.add_argument("--delay", type=float, default=0)
    args = ap.parse_args()

    srv = Server(("127.0.0.1", 0), Handler)
    srv.mode = args.mode
    srv.delay = args.delay
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
