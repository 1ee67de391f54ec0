#!/usr/bin/python3
"""A scripted IMAP server for the faults a real Dovecot will not produce.

  fakeimap.py DIR [--scenario NAME] [--mail FILE.eml ...]

Listens on 127.0.0.1 (plain TCP: the client connects with insecure = yes),
on a free port written to DIR/fake_port; its PID goes to DIR/fake.pid.
Stop it with `kill $(cat DIR/fake.pid)`.

INBOX (UIDVALIDITY 42) holds the --mail files as UIDs 1..n.  Every
connection plays one scenario: --scenario, or else the login name, so one
server serves every test (password: "secret"):

  normal         a well-behaved server
  bye_login      "* BYE" instead of a login answer, then closes
  bye_mid        logs in, answers EXAMINE with "* BYE", closes
  stall          logs in, never answers EXAMINE (the client must time out)
  drop_literal   body fetch: announces the literal, sends half, closes
  huge_literal   body fetch: announces a literal of 2 GiB, sends 1 KiB,
                 then waits
  huge_headers   header fetch: a 2 GiB literal, then waits
  malformed      EXAMINE: "* OK [UIDVALIDITY x42]"
  malformed_fetch  UID FETCH: "* 1 FETCH (UID one)"
  malformed_search  UID SEARCH: "* SEARCH 1 2 x"
  longline       EXAMINE: one 1 MiB response line
  no             EXAMINE: tagged NO
  bad            EXAMINE: tagged BAD
  toobig         RFC822.SIZE 2000000000: the mail, then "X" lines up to
                 that size, served in ranges; a fetch of it all (no
                 <offset.length>) is a bug of the client: answered with BYE
  liar           RFC822.SIZE 100, then a literal of 8 MiB
  tagline        a mail From ofii.fr whose body holds lines "A000 OK" ...
                 "Z029 OK" (libcurl takes one for the end of the response)
  plusline       the body holds a line "+ more"
  xoauth2        AUTHENTICATE XOAUTH2: the bearer token "good-token" works
  trickle        body fetch: the literal at 8 KiB/s (800 bytes every 0.1 s);
                 "trickle: start UID n" and "trickle: done UID n" go to
                 stderr
"""
import argparse
import base64
import os
import re
import socket
import socketserver
import sys
import threading
import time

MAILS = []
FORCED = None


class Bye(Exception):
    pass


class Handler(socketserver.StreamRequestHandler):
    timeout = 300

    def send(self, data):
        if isinstance(data, str):
            data = data.encode()
        self.wfile.write(data)
        self.wfile.flush()

    def caps(self):
        return ("IMAP4rev1 LITERAL+ SASL-IR AUTH=PLAIN AUTH=XOAUTH2 "
                "SPECIAL-USE")

    def handle(self):
        self.scenario = FORCED
        self.user = None
        try:
            self.send("* OK [CAPABILITY %s] fakeimap ready\r\n" % self.caps())
            while True:
                line = self.rfile.readline(65536)
                if not line:
                    return
                line = line.decode("utf-8", "replace").rstrip("\r\n")
                m = re.match(r"(\S+) (\S+)(?: (.*))?$", line)
                if not m:
                    self.send("* BAD what?\r\n")
                    continue
                tag, verb, args = m.group(1), m.group(2).upper(), m.group(3) or ""
                if self.command(tag, verb, args) == "close":
                    return
        except (Bye, BrokenPipeError, ConnectionResetError, socket.timeout):
            return

    def login(self, user, password):
        if self.scenario is None:
            self.scenario = user
        if self.scenario == "bye_login":
            self.send("* BYE too many connections, go away\r\n")
            raise Bye()
        return password == "secret"

    def command(self, tag, verb, args):
        sc = self.scenario
        if verb == "CAPABILITY":
            self.send("* CAPABILITY %s\r\n%s OK done\r\n" % (self.caps(), tag))
        elif verb == "LOGIN":
            parts = args.split(" ")
            ok = self.login(parts[0].strip('"'), parts[1].strip('"'))
            self.send("%s %s\r\n" % (tag, "OK [CAPABILITY %s] logged in" %
                      self.caps() if ok else "NO [AUTHENTICATIONFAILED] no"))
        elif verb == "AUTHENTICATE":
            mech, _, ir = args.partition(" ")
            if not ir:
                self.send("+ \r\n")
                ir = self.rfile.readline().decode().strip()
            raw = base64.b64decode(ir)
            if mech.upper() == "PLAIN":
                _, user, pw = raw.split(b"\0")
                ok = self.login(user.decode(), pw.decode())
            elif mech.upper() == "XOAUTH2":
                m = re.match(rb"user=([^\x01]*)\x01auth=Bearer ([^\x01]*)",
                             raw)
                ok = bool(m) and self.login(m.group(1).decode(), "secret") \
                    and m.group(2) == b"good-token"
            else:
                ok = False
            self.send("%s %s\r\n" % (tag, "OK [CAPABILITY %s] logged in" %
                      self.caps() if ok else "NO [AUTHENTICATIONFAILED] no"))
        elif verb == "LOGOUT":
            self.send("* BYE bye\r\n%s OK done\r\n" % tag)
            return "close"
        elif verb == "NOOP":
            self.send("%s OK done\r\n" % tag)
        elif verb == "LIST":
            self.send('* LIST (\\HasNoChildren) "." INBOX\r\n'
                      '* LIST (\\HasNoChildren \\Junk) "." '
                      '"Courrier ind&AOk-sirable"\r\n'
                      '* LIST (\\Noselect) "." {6}\r\nvide\\"\r\n'
                      '%s OK done\r\n' % tag)
        elif verb == "EXAMINE":
            return self.examine(tag, sc)
        elif verb == "UID":
            sub, _, rest = args.partition(" ")
            if sub.upper() == "SEARCH":
                if sc == "malformed_search":
                    self.send("* SEARCH 1 2 x\r\n%s OK done\r\n" % tag)
                else:
                    self.send("* SEARCH %s\r\n%s OK done\r\n" % (
                        " ".join(str(i + 1) for i in range(len(MAILS))), tag))
            elif sub.upper() == "FETCH":
                return self.fetch(tag, rest)
            else:
                self.send("%s BAD no\r\n" % tag)
        else:
            self.send("%s BAD unknown command\r\n" % tag)
        return None

    def examine(self, tag, sc):
        if sc == "bye_mid":
            self.send("* BYE shutting down\r\n")
            raise Bye()
        if sc == "stall":
            while self.rfile.read(1):
                pass
            raise Bye()
        if sc == "no":
            self.send("%s NO [NONEXISTENT] no such mailbox\r\n" % tag)
            return None
        if sc == "bad":
            self.send("%s BAD [CLIENTBUG] bad\r\n" % tag)
            return None
        if sc == "malformed":
            self.send("* OK [UIDVALIDITY x42] UIDs valid\r\n"
                      "%s OK [READ-ONLY] done\r\n" % tag)
            return None
        if sc == "longline":
            self.send("* OK " + "A" * (1 << 20) + "\r\n%s OK done\r\n" % tag)
            return None
        n = len(MAILS)
        self.send("* FLAGS (\\Seen)\r\n* %d EXISTS\r\n* 0 RECENT\r\n"
                  "* OK [UIDVALIDITY 42] UIDs valid\r\n"
                  "* OK [UIDNEXT %d] next\r\n"
                  "%s OK [READ-ONLY] Examine completed\r\n" % (n, n + 1, tag))
        return None

    def body_of(self, uid):
        sc = self.scenario
        body = MAILS[uid - 1]
        if sc == "tagline":
            lines = ["%s%03d OK fake" % (chr(65 + a), b)
                     for a in range(26) for b in range(30)]
            # Headers that pass the daemon's relevance check, so that it
            # downloads the body and must give it up in the end.
            body = ("From: OFII <ne-pas-repondre@ofii.fr>\r\n"
                    "Subject: Convocation OFII (tags)\r\n"
                    "Message-ID: <tagline@ofii.fr>\r\n\r\n" +
                    "\r\n".join(lines) + "\r\n").encode()
        elif sc == "plusline":
            body = b"Subject: plus\r\n\r\nline one\r\n+ more\r\nend\r\n"
        return body

    def fetch(self, tag, rest):
        sc = self.scenario
        m = re.match(r"(\S+) \((.*)\)$", rest)
        if not m:
            self.send("%s BAD syntax\r\n" % tag)
            return None
        uids = []
        for part in m.group(1).split(","):
            a, _, b = part.partition(":")
            uids.extend(range(int(a), int(b or a) + 1))
        items = m.group(2).upper()
        if sc == "malformed_fetch":
            self.send("* 1 FETCH (UID one)\r\n%s OK done\r\n" % tag)
            return None
        for uid in uids:
            if uid < 1 or uid > len(MAILS):
                continue
            body = self.body_of(uid)
            size = len(body)
            if sc == "toobig":
                size = 2000000000
            elif sc == "liar":
                size = 100
            if "BODY.PEEK[]" in items:
                part = re.search(r"BODY\.PEEK\[\]<(\d+)\.(\d+)>", items)
                if sc == "toobig" and not part:
                    self.send("* BYE the client fetched all of a body of "
                              "2 GB\r\n")
                    raise Bye()
                if sc == "toobig":
                    # The range of the mail followed by "X" lines.
                    off, n = int(part.group(1)), int(part.group(2))
                    n = max(0, min(n, size - off))
                    head = body[off:off + n]
                    start = (max(off, len(body)) - len(body)) % 78
                    fill = (b"X" * 76 + b"\r\n") * ((n - len(head)) // 78 + 2)
                    body = head + fill[start:start + n - len(head)]
                    self.send(("* %d FETCH (UID %d BODY[]<%d> {%d}\r\n"
                               % (uid, uid, off, len(body))).encode() + body +
                              b")\r\n")
                    continue
                if sc == "liar":
                    body = b"X" * (8 << 20)
                if sc == "huge_literal":
                    self.send("* %d FETCH (UID %d BODY[] {2147483648}\r\n"
                              % (uid, uid))
                    self.send(b"x" * 1024)
                    time.sleep(60)
                    raise Bye()
                if sc == "drop_literal":
                    self.send(("* %d FETCH (UID %d BODY[] {%d}\r\n"
                               % (uid, uid, len(body))).encode() +
                              body[:len(body) // 2])
                    self.request.shutdown(socket.SHUT_RDWR)
                    raise Bye()
                origin = ""
                if part and sc != "liar":
                    off, n = int(part.group(1)), int(part.group(2))
                    body = body[off:off + n]
                    origin = "<%d>" % off
                head = ("* %d FETCH (UID %d BODY[]%s {%d}\r\n"
                        % (uid, uid, origin, len(body))).encode()
                if sc == "trickle":
                    log("trickle: start UID %d" % uid)
                    self.send(head)
                    for i in range(0, len(body), 800):
                        self.send(body[i:i + 800])
                        time.sleep(0.1)
                    self.send(b")\r\n")
                    log("trickle: done UID %d" % uid)
                    continue
                self.send(head + body + b")\r\n")
            elif "HEADER.FIELDS" in items:
                if sc == "huge_headers":
                    self.send("* %d FETCH (UID %d RFC822.SIZE 10 BODY[HEADER"
                              ".FIELDS (FROM)] {2147483648}\r\n" % (uid, uid))
                    time.sleep(60)
                    raise Bye()
                hdr = headers_of(body)
                self.send(("* %d FETCH (UID %d RFC822.SIZE %d BODY[HEADER."
                           "FIELDS (FROM SUBJECT MESSAGE-ID DATE)] {%d}\r\n"
                           % (uid, uid, size, len(hdr))).encode() + hdr +
                          b")\r\n")
            else:
                # An unsolicited flag update first, as busy servers do.
                self.send("* %d FETCH (FLAGS (\\Seen))\r\n"
                          "* %d FETCH (UID %d RFC822.SIZE %d)\r\n"
                          % (uid, uid, uid, size))
        self.send("%s OK Fetch completed\r\n" % tag)
        return None


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def headers_of(body):
    head = body.split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0]
    out, keep = [], False
    for line in re.split(rb"\r?\n", head):
        if line[:1] in (b" ", b"\t"):
            if keep:
                out.append(line)
            continue
        name = line.split(b":", 1)[0].strip().lower()
        keep = name in (b"from", b"subject", b"message-id", b"date")
        if keep:
            out.append(line)
    return b"\r\n".join(out) + b"\r\n\r\n"


class Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


def main():
    global FORCED
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--scenario")
    ap.add_argument("--mail", nargs="*", default=[])
    a = ap.parse_args()
    FORCED = a.scenario
    for p in a.mail:
        with open(p, "rb") as f:
            MAILS.append(f.read())
    if not MAILS:
        MAILS.append(b"From: a@example.org\r\nSubject: hello\r\n\r\nhi\r\n")
    srv = Server(("127.0.0.1", 0), Handler)
    port = srv.server_address[1]
    with open(os.path.join(a.dir, "fake.pid"), "w") as f:
        f.write("%d\n" % os.getpid())
    tmp = os.path.join(a.dir, "fake_port.tmp")
    with open(tmp, "w") as f:
        f.write("%d\n" % port)
    os.rename(tmp, os.path.join(a.dir, "fake_port"))
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    sys.exit(main())
