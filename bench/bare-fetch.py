#!/usr/bin/env python3
# bench/bare-fetch.py - the server-bound baseline of bench/sync.sh: log in
# over TLS and run one UID FETCH 1:* (one per 100,000 UIDs) of the header
# fields kithd asks for (read from lib/header.c, so both always ask the
# same) per folder, reading the answer as fast as the socket delivers it and
# counting bytes and messages.  Nothing is parsed beyond what is needed to
# find the end.
#
#   bare-fetch.py PORT CA_FILE HEADER_C FOLDER...
import re
import socket
import ssl
import sys


def fetch_fields(header_c):
    """The names in header_fetch_fields[] and MASS_MAILER_FIELDS of lib/header.c."""
    text = open(header_c).read()
    mass = re.search(r"#define MASS_MAILER_FIELDS(.*?)\n\n", text, re.S).group(1)
    main = re.search(r"header_fetch_fields\[\] = \{(.*?)\};", text, re.S).group(1)
    names = re.findall(r'"([^"]+)"', main)
    if "MASS_MAILER_FIELDS" in main:
        names += re.findall(r'"([^"]+)"', mass)
    return names


def main():
    port, ca, header_c, folders = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4:]
    fields = fetch_fields(header_c)
    ctx = ssl.create_default_context(cafile=ca)
    raw = socket.create_connection(("127.0.0.1", port))
    sock = ctx.wrap_socket(raw, server_hostname="localhost")
    f = sock.makefile("rb", buffering=1 << 20)
    total = {"bytes": 0, "messages": 0}
    tagno = [0]
    uidnext = [0]

    def command(text):
        tagno[0] += 1
        tag = b"b%d" % tagno[0]
        sock.sendall(tag + b" " + text.encode() + b"\r\n")
        while True:
            line = f.readline()
            if not line:
                sys.exit("bare-fetch: the server closed the connection")
            total["bytes"] += len(line)
            if line.startswith(b"* OK [UIDNEXT "):
                uidnext[0] = int(line.split()[3].rstrip(b"]"))
            if line.startswith(b"* ") and b" FETCH " in line[:24]:
                total["messages"] += 1
            while line.endswith(b"}\r\n"):
                n = int(line[line.rindex(b"{") + 1:-3])
                total["bytes"] += len(f.read(n))
                line = f.readline()
                total["bytes"] += len(line)
            if line.startswith(tag + b" "):
                if not line.startswith(tag + b" OK"):
                    sys.exit("bare-fetch: %s failed: %r" % (text.split()[0], line))
                return

    f.readline()
    command("LOGIN test secret")
    # One FETCH per folder, in UID ranges of 100,000 past that: Dovecot
    # drops the connection when one answer is a million messages long.
    for box in folders:
        uidnext[0] = 0
        command("EXAMINE %s" % box)
        first = 1
        while True:
            last = first + 99999
            rng = "%d:*" % first if uidnext[0] <= last + 1 else "%d:%d" % (first, last)
            command("UID FETCH %s (UID INTERNALDATE BODY.PEEK[HEADER.FIELDS (%s)]<0.262144>)"
                    % (rng, " ".join(fields)))
            if rng.endswith("*"):
                break
            first = last + 1
    command("LOGOUT")
    print("%d messages %d bytes" % (total["messages"], total["bytes"]))


main()
