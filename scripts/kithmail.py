# kithmail.py - header encoding and the Maildir writer behind scripts/gen-mailbox.
"""What every corpus of gen-mailbox shares: the user, RFC 5322/2047
formatting, and a Maildir writer whose output is the same byte for byte
for the same input."""

import base64
import datetime as dt
import os
import sys

DAY = 86400
HOUR = 3600

ME_NAME = "Ana Rivera"
ME = {
	"home": "ana@rivera.example",
	"work": "ana.rivera@work.example",
	"gmail": "anarivera@gmail.com",
}
# How the Gmail address is spelt in real headers: with dots when Ana sends,
# with dots, capitals, googlemail.com and a +tag when friends write to it.
ME_SPELLING = {
	"home": ("ana@rivera.example", "ana@rivera.example"),
	"work": ("ana.rivera@work.example", "ana.rivera@work.example"),
	"gmail": ("ana.rivera@gmail.com", "Ana.Rivera+climbing@googlemail.com"),
}

def die(msg):
	sys.stderr.write("gen-mailbox: %s\n" % msg)
	sys.exit(2)


def parse_now(s):
	text = s[:-1] + "+00:00" if s.endswith(("Z", "z")) else s
	try:
		t = dt.datetime.fromisoformat(text)
	except ValueError:
		die("bad --now '%s': want ISO 8601, e.g. 2025-06-01T12:00:00Z" % s)
	if t.tzinfo is None:
		t = t.replace(tzinfo=dt.timezone.utc)
	return int(t.timestamp())


def iso(t):
	return dt.datetime.fromtimestamp(t, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def rfc2822(t, tz_minutes):
	tz = dt.timezone(dt.timedelta(minutes=tz_minutes))
	return dt.datetime.fromtimestamp(t, tz).strftime("%a, %d %b %Y %H:%M:%S %z")


# --- header encoding ---------------------------------------------------------

SPECIALS = set('()<>[]:;@\\,."\'')


def encode_word(text, mode):
	raw = text.encode("utf-8")
	if mode == "b":
		return "=?UTF-8?B?%s?=" % base64.b64encode(raw).decode("ascii")
	out = []
	for b in raw:
		c = chr(b)
		if c.isascii() and (c.isalnum() or c in "!*+-/"):
			out.append(c)
		elif c == " ":
			out.append("_")
		else:
			out.append("=%02X" % b)
	return "=?UTF-8?Q?%s?=" % "".join(out)


def fmt_name(name, mode="q"):
	"""A display name as a header carries it: mode "q" or "b" encodes a
	non-ASCII name with RFC 2047, "raw" leaves it 8-bit UTF-8."""
	if not name.isascii() and mode != "raw":
		return encode_word(name, mode)
	if any(c in SPECIALS for c in name):
		return '"%s"' % name.replace("\\", "\\\\").replace('"', '\\"')
	return name


def fmt_addr(name, addr, mode="q"):
	return "%s <%s>" % (fmt_name(name, mode), addr) if name else "<%s>" % addr


def fmt_subject(subject, mode):
	return encode_word(subject, mode) if mode in ("q", "b") and not subject.isascii() else subject


def fold_list(items):
	"""An address list folded so that header lines stay short."""
	lines, cur = [], ""
	for i, item in enumerate(items):
		piece = item + ("," if i < len(items) - 1 else "")
		if cur and len(cur) + len(piece) > 70:
			lines.append(cur)
			cur = ""
		cur = piece if not cur else cur + " " + piece
	lines.append(cur)
	return "\n ".join(lines)


def render(headers, body):
	out = ["%s: %s" % (k, v) for k, v in headers if v is not None]
	return ("\n".join(out) + "\n\n" + body + "\n").encode("utf-8", "surrogateescape")


# --- the Maildir writer -------------------------------------------------------

FOLDERS = {"inbox": "", "sent": ".Sent", "archive": ".Archive"}


class Maildir:
	"""Files named "<epoch>.<seq>.kith:2,S" so that the names sort in arrival
	order (Dovecot gives UIDs in that order), mtime = INTERNALDATE."""

	def __init__(self, root, now):
		self.root = root
		self.seq = 0
		self.counts = {k: 0 for k in FOLDERS}
		for sub in FOLDERS.values():
			for d in ("cur", "new", "tmp"):
				os.makedirs(os.path.join(root, sub, d), exist_ok=True)
			if sub:
				marker = os.path.join(root, sub, "maildirfolder")
				open(marker, "wb").close()
				os.utime(marker, (now, now))

	def write(self, folder, when, data):
		self.seq += 1
		path = os.path.join(self.root, FOLDERS[folder], "cur",
				    "%010d.%08d.kith:2,S" % (when, self.seq))
		fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
		try:
			os.write(fd, data)
			os.utime(fd, (when, when))
		finally:
			os.close(fd)
		self.counts[folder] += 1


def header_of(data, name):
	"""The raw value of the first header `name` in a rendered message."""
	for line in data.split(b"\n\n", 1)[0].split(b"\n"):
		if line.startswith(name + b": "):
			return line[len(name) + 2:]
	return None


def set_header(m, name, value):
	head, body = m[2].split(b"\n\n", 1)
	lines = [name + b": " + value if l.startswith(name + b": ") else l for l in head.split(b"\n")]
	m[2] = b"\n".join(lines) + b"\n\n" + body
