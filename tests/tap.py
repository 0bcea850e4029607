"""tap.py - TAP lines from the Python checks embedded in the shell tests.
The shell test folds the printed lines into its own TAP output."""

_n = 0


def check(cond, desc, detail=""):
    """Print "ok N - DESC", or "not ok N - DESC" and the detail as a comment."""
    global _n
    _n += 1
    print(("ok" if cond else "not ok") + " %d - %s" % (_n, desc))
    if not cond and detail:
        print("#   " + detail)
