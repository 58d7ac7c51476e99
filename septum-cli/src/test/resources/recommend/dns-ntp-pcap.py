#!/usr/bin/python3
# The seed's DNS/NTP stage as packets: five wifi clients ask both servers for names (udp 53) and
# time (udp 123) and get answers; a scanner's SYNs to ten TCP ports are answered by resets.
# Timestamps start two minutes ago, so the store keeps the sessions. Usage: dns-ntp-pcap.py OUT.pcap
import sys, time
from scapy.all import Ether, IP, TCP, UDP, Raw, PcapWriter

w = PcapWriter(sys.argv[1], sync=False)
t = time.time() - 120
a = Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02")
b = Ether(src="02:00:00:00:00:02", dst="02:00:00:00:00:01")


def wr(p):
    global t
    t += 0.001
    p.time = t
    w.write(p)


port = 41000
for c in range(21, 26):
    client = "172.18.6.%d" % c
    for server in ("10.100.1.6", "10.100.1.7"):
        for service in (53, 123):
            port += 1
            wr(a / IP(src=client, dst=server) / UDP(sport=port, dport=service) / Raw(b"q" * 40))
            wr(b / IP(src=server, dst=client) / UDP(sport=service, dport=port) / Raw(b"r" * 90))
for target in range(20, 30):
    wr(a / IP(src="172.18.6.66", dst="10.100.1.6") / TCP(sport=50000, dport=target, flags="S", seq=1))
    wr(b / IP(src="10.100.1.6", dst="172.18.6.66") / TCP(sport=target, dport=50000, flags="RA", seq=0, ack=2))
w.close()
