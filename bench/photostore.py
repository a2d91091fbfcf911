#!/usr/bin/env python3
"""How to store a photo of 10 MiB: as a blob in SQLite, or as a file
beside the database.  Both as hazardd would: WAL with synchronous=FULL;
the blob in one transaction with its row; the file written, flushed,
renamed and its directory flushed, then a row of its hash committed.
Prints the median and the worst of N of each (docs/PHOTOS.md).

    bench/photostore.py [DIR] [N]
"""
import hashlib
import os
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time

MIB = 1024 * 1024


def db(path, cols):
    h = sqlite3.connect(path, isolation_level=None)
    h.execute("PRAGMA journal_mode = WAL")
    h.execute("PRAGMA synchronous = FULL")
    h.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY, %s)" % cols)
    return h


def blobs(d, n, data):
    h = db(os.path.join(d, "blob.db"), "bytes BLOB")
    times = []
    for i in range(n):
        b = data[:-8] + i.to_bytes(8, "little")
        t = time.monotonic()
        h.execute("BEGIN IMMEDIATE")
        h.execute("INSERT INTO photos (bytes) VALUES (?)", (b,))
        h.execute("COMMIT")
        times.append(time.monotonic() - t)
    t = time.monotonic()
    h.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return times, time.monotonic() - t


def files(d, n, data):
    h = db(os.path.join(d, "file.db"), "sha256 TEXT")
    top = os.path.join(d, "photos")
    os.mkdir(top)
    write, row = [], []
    for i in range(n):
        b = data[:-8] + i.to_bytes(8, "little")
        t = time.monotonic()
        hx = hashlib.sha256(b).hexdigest()
        sub = os.path.join(top, hx[:2])
        os.makedirs(sub, exist_ok=True)
        tmp = os.path.join(sub, ".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.write(fd, b)
        os.fsync(fd)
        os.close(fd)
        os.rename(tmp, os.path.join(sub, hx))
        fd = os.open(sub, os.O_RDONLY)
        os.fsync(fd)
        os.close(fd)
        t2 = time.monotonic()
        h.execute("BEGIN IMMEDIATE")
        h.execute("INSERT INTO photos (sha256) VALUES (?)", (hx,))
        h.execute("COMMIT")
        write.append(t2 - t)
        row.append(time.monotonic() - t2)
    return write, row


def ms(ts):
    return "median %4.0f ms, worst %4.0f ms" % (
        statistics.median(ts) * 1000, max(ts) * 1000)


def main():
    d = tempfile.mkdtemp(dir=sys.argv[1] if len(sys.argv) > 1 else None)
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    data = os.urandom(10 * MIB)
    b, ck = blobs(d, n, data)
    w, r = files(d, n, data)
    print("blob: its commit (the write lock held):   ", ms(b))
    print("blob: the checkpoint of all %d:            %4.0f ms" % (n, ck * 1000))
    print("file: write, fsync, rename, fsync of dir:", ms(w))
    print("file: then its row's commit:             ", ms(r))
    shutil.rmtree(d)


main()
