"""etcd.Lock with two contenders: the second blocks (watching its predecessor) until the first releases."""
import threading

import etcd
from common import connect, wait_for_watchers_above, watchers

client, host, port, p = connect()
name = "resource"
first = etcd.Lock(client, name)
first.acquire(lock_ttl=60)
print("first acquired", first.is_acquired)
order = []
before = watchers(host, port)


def contend():
    other, _, _, _ = connect()
    second = etcd.Lock(other, name)
    second.acquire(blocking=True, lock_ttl=60)
    order.append("second acquired")
    second.release()
    order.append("second released")


thread = threading.Thread(target=contend)
thread.start()
wait_for_watchers_above(host, port, before)
order.append("first releasing")
first.release()
thread.join(15)
print("order", order)
print("lock dir after release", [n.key[len(p):] for n in client.read(p + "/_locks/" + name).children])
