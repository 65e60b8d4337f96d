"""In-order keys (append) read back sorted, and refresh=True with a ttl keeping the value."""
from common import connect

client, host, port, p = connect()
keys = []
for value in ["one", "two", "three"]:
    r = client.write(p + "/q", value, append=True)
    keys.append(r.key)
    print("append", r.action, r.value, r.newKey, len(r.key.rsplit("/", 1)[1]))
r = client.read(p + "/q", sorted=True)
print("sorted", [n.value for n in r.children], [n.key for n in r.children] == sorted(keys))
r = client.write(p + "/t", "kept", ttl=1000)
print("ttl", r.ttl in (999, 1000))
r = client.refresh(p + "/t", ttl=900)
print("refresh", r.action, r.value, r.ttl in (899, 900))
r = client.write(p + "/t", None, ttl=800, refresh=True, prevExist=True)
print("refresh update", r.action, r.value, r.ttl in (799, 800))
print("read after refresh", client.read(p + "/t").value)
