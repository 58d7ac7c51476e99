"""Known traffic for the mirror tests, run inside the test's namespaces (ip netns exec NS python3 traffic.py ...).

udp-server ADDR PORT REPLY   answers one datagram with REPLY bytes; prints "ready" once bound
udp-client ADDR PORT SIZE [FROM]   sends SIZE bytes (from address FROM), waits for the answer; prints its length
tcp-server ADDR PORT REPLY   accepts one connection, reads until the peer's FIN, sends REPLY bytes, closes
tcp-client ADDR PORT SIZE [FROM]   connects (from FROM), sends SIZE bytes, half-closes, reads the answer; prints its length
tcp-attempt ADDR PORT SECONDS [FROM]   tries to connect for SECONDS; prints "connected", "timed out" or the error
Every socket waits at most 10 s.
"""
import socket
import sys

mode, addr, port, n = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
source = (sys.argv[5], 0) if len(sys.argv) > 5 else None
if mode == "udp-server":
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((addr, port))
    s.settimeout(10)
    print("ready", flush=True)
    data, peer = s.recvfrom(65535)
    s.sendto(b"r" * n, peer)
elif mode == "udp-client":
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    if source:
        s.bind(source)
    s.settimeout(10)
    s.sendto(b"q" * n, (addr, port))
    print(len(s.recvfrom(65535)[0]), flush=True)
elif mode == "tcp-server":
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, port))
    s.listen(1)
    s.settimeout(10)
    print("ready", flush=True)
    c, _ = s.accept()
    c.settimeout(10)
    while c.recv(65535):
        pass
    c.sendall(b"r" * n)
    c.close()
elif mode == "tcp-client":
    s = socket.create_connection((addr, port), timeout=10, source_address=source)
    s.sendall(b"q" * n)
    s.shutdown(socket.SHUT_WR)
    got = 0
    while True:
        chunk = s.recv(65535)
        if not chunk:
            break
        got += len(chunk)
    s.close()
    print(got, flush=True)
elif mode == "tcp-attempt":
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    if source:
        s.bind(source)
    s.settimeout(n)
    try:
        s.connect((addr, port))
        print("connected", flush=True)
    except socket.timeout:
        print("timed out", flush=True)
    except OSError as e:
        print(e.strerror, flush=True)
else:
    sys.exit("unknown mode " + mode)
