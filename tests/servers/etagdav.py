#!/usr/bin/python3
"""A stand-in CalDAV collection whose ETags are long: PUT (with If-Match /
If-None-Match: * honoured, 412 otherwise) and GET of resources, in memory.

    etagdav.py DIR     (port in DIR/port, pid in DIR/pid; runs until killed)

The first path segment says how long the ETags are: /huge/... gives ETags
of 200,000 bytes (above libcurl's 100 KiB cap on one header line),
/long/... of 4,000 bytes; anything else short ones.
"""
import http.server
import os
import sys

STORE = {}
SIZES = {"huge": 200000, "long": 4000}


class Handler(http.server.BaseHTTPRequestHandler):
    def etag(self, version):
        n = SIZES.get(self.path.strip("/").split("/")[0], 8)
        return '"' + "e" * n + str(version) + '"'

    def reply(self, code, etag=None, body=b""):
        self.send_response(code)
        if etag is not None:
            self.send_header("ETag", etag)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_PUT(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        have = STORE.get(self.path)
        if self.headers.get("If-None-Match") == "*" and have is not None:
            return self.reply(412)
        match = self.headers.get("If-Match")
        if match is not None and (have is None or have[1] != match):
            return self.reply(412)
        version = have[2] + 1 if have else 1
        tag = self.etag(version)
        STORE[self.path] = (body, tag, version)
        self.reply(204 if have else 201, tag)

    def do_GET(self):
        have = STORE.get(self.path)
        if have is None:
            return self.reply(404)
        self.reply(200, have[1], have[0])

    def log_message(self, *args):
        pass


def main():
    srv = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    with open(os.path.join(sys.argv[1], "pid"), "w") as f:
        f.write("%d\n" % os.getpid())
    tmp = os.path.join(sys.argv[1], "port.tmp")
    with open(tmp, "w") as f:
        f.write("%d\n" % srv.server_address[1])
    os.rename(tmp, os.path.join(sys.argv[1], "port"))
    srv.serve_forever()


if __name__ == "__main__":
    main()
