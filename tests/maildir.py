"""maildir.py - write small test mailboxes: a Maildir with a Sent folder, messages dated
relative to a fixed "now".  Used by the shell tests through `python3 - ... <<'PY'`."""
import calendar
import os
import time

DAY = 86400


class Maildir:
    """Messages under root/cur (received) and root/.Sent/cur (sent), numbered m1, m2, ..."""

    def __init__(self, root, now=(2026, 6, 1, 12, 0, 0)):
        self.root = root
        self.now = calendar.timegm(now)
        self.seq = 0
        for d in ("cur", "new", "tmp", ".Sent/cur", ".Sent/new", ".Sent/tmp"):
            os.makedirs(os.path.join(root, d), exist_ok=True)

    def msg(self, days_ago, frm, to, subject=None, extra=b"", reply_to_id=None, sent=False,
            mid=None, references=True):
        """One message, written `days_ago` days before now; returns its Message-ID.
        An answer (reply_to_id) carries In-Reply-To, and References unless told not to.
        Without a subject it is "note N"."""
        self.seq += 1
        t = self.now - int(days_ago * DAY)
        mid = mid or b"<m%d@test.example>" % self.seq
        subject = subject if subject is not None else b"note %d" % self.seq
        date = time.strftime("%a, %d %b %Y %H:%M:%S +0000", time.gmtime(t)).encode()
        h = b"From: " + frm + b"\r\nTo: " + to + b"\r\nSubject: " + subject + \
            b"\r\nDate: " + date + b"\r\nMessage-ID: " + mid + b"\r\n"
        if reply_to_id:
            h += b"In-Reply-To: " + reply_to_id + b"\r\n"
            if references:
                h += b"References: " + reply_to_id + b"\r\n"
        h += extra + b"\r\nhello\r\n"
        sub = ".Sent/cur" if sent else "cur"
        path = os.path.join(self.root, sub, "%d.%06d.kith:2,S" % (t, self.seq))
        with open(path, "wb") as f:
            f.write(h)
        os.utime(path, (t, t))
        return mid
