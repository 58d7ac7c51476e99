#!/usr/bin/env python3
"""Samples a running collector's socket backlog and its threads' CPU, to see what stalls the receive thread.

usage: backlog_trace.py PORT [INTERVAL_MS] > trace.txt     (stops when the collector exits, at most 300 s)

Every INTERVAL_MS (default 20) one line: epoch ms, the socket's receive queue in bytes (rx_queue of
/proc/net/udp: what the kernel holds that the receive thread has not read yet), its drops so far, then
CPU ticks per thread group (collector, store, GC, C2/C1), summed over the group's threads.
A backlog that rises while the receive thread's ticks stall and another group's advance names the thief.
Reads /proc only; nothing is sent anywhere.
"""
import os, sys, time

port = int(sys.argv[1])
interval = (int(sys.argv[2]) if len(sys.argv) > 2 else 20) / 1000.0
hexport = ":%04X" % port
deadline = time.time() + 300


def find_pid():
    for p in os.listdir("/proc"):
        if not p.isdigit():
            continue
        try:
            cmd = open(f"/proc/{p}/cmdline", "rb").read().split(b"\0")
        except OSError:
            continue
        if b"collect" in cmd and f"127.0.0.1:{port}".encode() in cmd:
            return p
    return None


def group(name):
    if name.startswith("septum-collecto"):
        return "recv"
    if name.startswith("septum-store"):
        return "store"
    if name.startswith("GC") or name.startswith("G1"):
        return "gc"
    if name.startswith("C2") or name.startswith("C1"):
        return "jit"
    return "other"


pid = None
while pid is None and time.time() < deadline:
    pid = find_pid()
    time.sleep(0.05)
if pid is None:
    sys.exit("no collector listening on port %d appeared" % port)
# the threads are listed once (every 10 ms would cost the box the CPU this looks for); JIT and GC
# threads are grouped, their pauses are better read from -Xlog:gc,safepoint
def bound():
    with open("/proc/net/udp") as u:
        return any(line.split()[1].endswith(hexport) for line in u)


while not bound() and time.time() < deadline:
    time.sleep(0.05)
time.sleep(0.2)  # the collector starts its threads right after binding
tids = {}
for t in os.listdir(f"/proc/{pid}/task"):
    try:
        tids.setdefault(group(open(f"/proc/{pid}/task/{t}/comm").read().strip()), []).append(t)
    except OSError:
        pass
groups = ["recv", "store", "gc", "jit"]
files = {g: [open(f"/proc/{pid}/task/{t}/stat") for t in tids.get(g, [])] for g in groups}
udp = open("/proc/net/udp")
print("# ms rx_queue_bytes drops " + " ".join(groups) + " (ticks)")
while time.time() < deadline:
    try:
        out = []
        for g in groups:
            n = 0
            for f in files[g]:
                f.seek(0)
                st = f.read()
                x = st[st.rindex(")") + 2:].split()
                n += int(x[11]) + int(x[12])
            out.append(n)
        rx, drops = -1, -1
        udp.seek(0)
        for line in udp.read().splitlines():
            f = line.split()
            if f[1].endswith(hexport):
                rx = int(f[4].split(":")[1], 16)
                drops = int(f[12])
    except (OSError, ValueError):
        break
    if rx < 0:
        break
    print(int(time.time() * 1000), rx, drops, *out, flush=True)
    time.sleep(interval)
