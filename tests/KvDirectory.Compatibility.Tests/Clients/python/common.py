"""Shared setup for the python-etcd scripts: argv is host, port, key prefix (fresh per run)."""
import json
import sys
import time
import urllib.request

import etcd


def connect():
    host, port, prefix = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    client = etcd.Client(host=host, port=port, read_timeout=10, lock_prefix=prefix + "/_locks")
    return client, host, port, prefix


def watchers(host, port):
    """Registered watchers: the observable sign that a blocking watch is in place (no sleeping as synchronisation)."""
    with urllib.request.urlopen("http://%s:%d/v2/stats/store" % (host, port), timeout=5) as response:
        return json.load(response)["watchers"]


def wait_for_watchers_above(host, port, before, deadline_seconds=10):
    deadline = time.monotonic() + deadline_seconds
    while watchers(host, port) <= before:
        if time.monotonic() > deadline:
            raise RuntimeError("no watcher registered")
        time.sleep(0.02)
