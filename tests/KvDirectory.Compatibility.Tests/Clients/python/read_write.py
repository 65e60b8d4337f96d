"""Write, read, test_and_set, delete, recursive read: the python-etcd calls every app makes."""
import etcd
from common import connect

client, host, port, p = connect()
r = client.write(p + "/a", "one")
print("write", r.action, r.value, r.newKey, r.modifiedIndex == r.etcd_index)
r = client.write(p + "/a", "two")
print("overwrite", r.action, r.value, r.newKey, r._prev_node.value)
print("read", client.read(p + "/a").value, client.get(p + "/a").value)
r = client.test_and_set(p + "/a", "three", "two")
print("test_and_set", r.action, r.value)
try:
    client.test_and_set(p + "/a", "four", "two")
except etcd.EtcdCompareFailed as e:
    print("test_and_set failed", type(e).__name__)
try:
    client.write(p + "/b", "x", prevExist=True)
except etcd.EtcdKeyNotFound as e:
    print("update missing", type(e).__name__)
try:
    client.write(p + "/a", "x", prevExist=False)
except etcd.EtcdAlreadyExist as e:
    print("create existing", type(e).__name__)
r = client.write(p + "/a", "five", prevIndex=client.read(p + "/a").modifiedIndex)
print("prevIndex swap", r.action, r.value)
client.write(p + "/d/x", "1")
client.write(p + "/d/y/z", "2")
r = client.read(p + "/d", recursive=True, sorted=True)
print("recursive", [(n.key[len(p):], n.value) for n in r.leaves])
print("contains", (p + "/a") in client, (p + "/nope") in client)
r = client.delete(p + "/a")
print("delete", r.action)
try:
    client.read(p + "/a")
except etcd.EtcdKeyNotFound as e:
    print("read deleted", type(e).__name__)
try:
    client.delete(p + "/d")
except etcd.EtcdNotFile as e:
    print("delete dir", type(e).__name__)
r = client.delete(p + "/d", recursive=True)
print("delete recursive", r.action, r.dir)
print("machines", len(client.machines), "leader", bool(client.leader))
