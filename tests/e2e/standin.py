#!/usr/bin/env python3
"""A stand-in for hazardd that answers POSTs as a test tells it.

    standin.py PORT [--delay S] [--once] REGEX=JSON ...

Each POST is answered 201 with the JSON of the first rule whose REGEX
is found in its path, after S seconds; a rule after --once answers one
request only.  A POST that no rule answers has its connection closed
with no answer, as a server that went away.
"""
import http.server
import re
import sys
import time

rules = []
delay = 0.0
once = False
args = sys.argv[2:]
while args:
    a = args.pop(0)
    if a == "--delay":
        delay = float(args.pop(0))
    elif a == "--once":
        once = True
    else:
        regex, _, body = a.partition("=")
        rules.append([re.compile(regex), body.encode(), 1 if once else -1])
        once = False


class StandIn(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        for rule in rules:
            if rule[2] != 0 and rule[0].search(self.path):
                rule[2] -= 1
                break
        else:
            return
        time.sleep(delay)
        self.send_response(201)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(rule[1])))
        self.end_headers()
        self.wfile.write(rule[1])

    def log_message(self, *args):
        pass


http.server.HTTPServer.allow_reuse_address = True
http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), StandIn).serve_forever()
