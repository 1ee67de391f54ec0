#!/usr/bin/python3
"""Put mail into a test user's maildir by writing files directly.

Far faster than APPEND or doveadm (100,000 messages in seconds), works
whether Dovecot runs or not, and sets what APPEND cannot: the flags (libcurl
APPEND always sets \\Seen) and the INTERNALDATE, which for maildir is the
file's mtime (IMAP SINCE/BEFORE search it; SENTSINCE searches Date:).

  seed_maildir.py MAILDIR [--folder NAME] [--flags FLAGS] [--date D] [--new]
                  FILE.eml...
  seed_maildir.py MAILDIR [--folder NAME] [--date D] --generate N

MAILDIR   e.g. DIR/mail/test/Maildir (as made by dovecot.sh)
--folder  "INBOX" (default), "Junk", "Courrier indésirable", "A.B" (the
          maildir++ separator is "."); created if missing, name stored in
          modified UTF-7 as Dovecot does
--flags   maildir letters: S (\\Seen) F (\\Flagged) R (\\Answered)
          T (\\Deleted) D (\\Draft), e.g. "FS"
--date    INTERNALDATE: YYYY-MM-DD, YYYY-MM-DDTHH:MM, or seconds since the
          epoch (default: now)
--new     deliver into new/ (as an MDA does) instead of cur/
--generate N  write N small synthetic messages (noise for benchmarks)

Run as root, files and new directories are given to uid/gid 65534, the
mail uid of tests/servers/dovecot.sh.  Prints the number of files written.
"""
import argparse
import base64
import datetime
import os
import sys

MAIL_UID = 65534


def mutf7(name):
    """UTF-8 str -> IMAP modified UTF-7 (RFC 3501 5.1.3)."""
    out, run = [], []

    def flush():
        if run:
            b = "".join(run).encode("utf-16-be")
            out.append("&" + base64.b64encode(b).decode().rstrip("=")
                       .replace("/", ",") + "-")
            run.clear()
    for ch in name:
        if 0x20 <= ord(ch) <= 0x7e:
            flush()
            out.append("&-" if ch == "&" else ch)
        else:
            run.append(ch)
    flush()
    return "".join(out)


def parse_date(s):
    if s is None:
        return None
    if s.isdigit():
        return int(s)
    for fmt in ("%Y-%m-%dT%H:%M", "%Y-%m-%d"):
        try:
            return int(datetime.datetime.strptime(s, fmt).timestamp())
        except ValueError:
            pass
    sys.exit("seed_maildir.py: bad --date %r" % s)


def chown(path):
    if os.geteuid() == 0:
        os.chown(path, MAIL_UID, MAIL_UID)


def folder_dir(maildir, folder):
    if folder.upper() == "INBOX":
        d = maildir
    else:
        d = os.path.join(maildir, "." + mutf7(folder))
    for sub in ("", "cur", "new", "tmp"):
        p = os.path.join(d, sub)
        if not os.path.isdir(p):
            os.makedirs(p)
            chown(p)
    return d


class Writer:
    def __init__(self, d, flags, mtime, new):
        self.d, self.flags, self.mtime, self.new = d, flags, mtime, new
        self.n = 0
        self.pid = os.getpid()

    def put(self, data):
        t = self.mtime if self.mtime is not None else int(
            datetime.datetime.now().timestamp())
        self.n += 1
        base = "%d.M%dP%d.seed,S=%d" % (t, self.n, self.pid, len(data))
        tmp = os.path.join(self.d, "tmp", base)
        if self.new:
            dest = os.path.join(self.d, "new", base)
        else:
            dest = os.path.join(self.d, "cur", base + ":2," +
                                "".join(sorted(self.flags)))
        with open(tmp, "wb") as f:
            f.write(data)
        os.utime(tmp, (t, t))
        chown(tmp)
        os.rename(tmp, dest)


def synthetic(i, mtime):
    date = datetime.datetime.fromtimestamp(
        mtime if mtime is not None else 1700000000)
    return ("From: Newsletter <news%d@example.com>\r\n"
            "To: test@example.org\r\n"
            "Subject: Weekly news number %d\r\n"
            "Date: %s +0100\r\n"
            "Message-ID: <gen-%d@example.com>\r\n"
            "\r\n"
            "Nothing to see here, message %d.\r\n"
            % (i % 97, i, date.strftime("%a, %d %b %Y %H:%M:%S"), i, i)
            ).encode()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("maildir")
    ap.add_argument("--folder", default="INBOX")
    ap.add_argument("--flags", default="")
    ap.add_argument("--date")
    ap.add_argument("--new", action="store_true")
    ap.add_argument("--generate", type=int)
    ap.add_argument("files", nargs="*")
    a = ap.parse_intermixed_args()
    if set(a.flags) - set("SFRTD"):
        sys.exit("seed_maildir.py: --flags takes letters from SFRTD")
    if a.new and a.flags:
        sys.exit("seed_maildir.py: --new mail has no flags")
    if not os.path.isdir(a.maildir):
        sys.exit("seed_maildir.py: no such maildir %s" % a.maildir)
    w = Writer(folder_dir(a.maildir, a.folder), a.flags,
               parse_date(a.date), a.new)
    if a.generate:
        for i in range(a.generate):
            w.put(synthetic(i, w.mtime))
    for path in a.files:
        with open(path, "rb") as f:
            w.put(f.read())
    print(w.n)


if __name__ == "__main__":
    main()
