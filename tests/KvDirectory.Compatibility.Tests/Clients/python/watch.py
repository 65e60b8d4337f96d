"""Watch: a timeout must surface as EtcdWatchTimedOut (not a connection error); a history watch returns at once."""
import threading

import etcd
from common import connect, wait_for_watchers_above, watchers

client, host, port, p = connect()
try:
    client.read(p + "/w", wait=True, timeout=1)
    print("watch returned without an event")
except etcd.EtcdWatchTimedOut:
    print("watch timeout reported as EtcdWatchTimedOut")
except etcd.EtcdConnectionFailed as e:
    print("watch timeout reported as connection failure", e)
r = client.write(p + "/w", "one")
client.write(p + "/w", "two")
e = client.watch(p + "/w", index=r.modifiedIndex, timeout=5)
print("history watch", e.action, e.value)
e = client.watch(p + "/w", index=r.modifiedIndex + 1, timeout=5)
print("history watch next", e.action, e.value)

before = watchers(host, port)
result = {}


def watch():
    result["event"] = client.watch(p + "/w", timeout=10)


thread = threading.Thread(target=watch)
thread.start()
wait_for_watchers_above(host, port, before)
client.write(p + "/w", "three")
thread.join(15)
print("live watch", result["event"].action, result["event"].value)

client.write(p + "/dir/x", "child")
e = client.watch(p + "/dir", index=client.read(p + "/dir/x").modifiedIndex, recursive=True, timeout=5)
print("recursive history watch", e.action, e.key[len(p):], e.value)
