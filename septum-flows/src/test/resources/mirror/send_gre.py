"""Sends GRE-mirrored traffic the way a switch's monitor session does, built by scapy (not by Septum).

usage: send_gre.py MONITOR_ADDR   (a 127.0.0.0/8 address; needs root for the raw socket)
Prints the number of GRE packets sent whose inner packet should be metered, then of those that should not.
"""
import sys
from scapy.all import GRE, IP, IPv6, IPv6ExtHdrHopByHop, TCP, UDP, ICMP, Ether, Dot1Q, Dot1AD, ARP, Raw, send, conf, L3RawSocket

conf.verb = 0
# scapy's default layer-3 socket (AF_PACKET) never reaches loopback's local delivery; a raw IP socket does
conf.L3socket = L3RawSocket
monitor = sys.argv[1]
c, s = "10.1.0.5", "10.2.0.53"
mac = dict(src="00:1c:73:00:00:01", dst="00:1c:73:00:00:02")


def teb(inner, **gre):
    return IP(src="127.0.0.1", dst=monitor) / GRE(proto=0x6558, **gre) / inner


good = []
# a TCP session through a tagged port, key 0 as EOS sends it: handshake, data both ways, FIN both ways
tcp = [
    IP(src=c, dst=s) / TCP(sport=40001, dport=443, flags="S", seq=1),
    IP(src=s, dst=c) / TCP(sport=443, dport=40001, flags="SA", seq=100, ack=2),
    IP(src=c, dst=s) / TCP(sport=40001, dport=443, flags="A", seq=2, ack=101),
    IP(src=c, dst=s) / TCP(sport=40001, dport=443, flags="PA", seq=2, ack=101) / Raw(b"q" * 200),
    IP(src=s, dst=c) / TCP(sport=443, dport=40001, flags="PA", seq=101, ack=202) / Raw(b"r" * 1000),
    IP(src=c, dst=s) / TCP(sport=40001, dport=443, flags="FA", seq=202, ack=1101),
    IP(src=s, dst=c) / TCP(sport=443, dport=40001, flags="FA", seq=1101, ack=203),
]
good += [teb(Ether(**mac) / Dot1Q(vlan=10) / p, key_present=1, key=0) for p in tcp]
# DNS over IPv6 with a hop-by-hop header, QinQ, no key; request and answer
dns = [
    IPv6(src="2001:db8::5", dst="2001:db8:0:c8::53") / IPv6ExtHdrHopByHop() / UDP(sport=50000, dport=53) / Raw(b"x" * 30),
    IPv6(src="2001:db8:0:c8::53", dst="2001:db8::5") / IPv6ExtHdrHopByHop() / UDP(sport=53, dport=50000) / Raw(b"y" * 90),
]
good += [teb(Ether(**mac, type=0x88A8) / Dot1AD(vlan=200) / Dot1Q(vlan=10) / p) for p in dns]
# ping with checksum and sequence number present (RFC 2890)
ping = [IP(src=c, dst=s) / ICMP(type=8, id=7), IP(src=s, dst=c) / ICMP(type=0, id=7)]
good += [teb(Ether(**mac) / p, chksum_present=1, seqnum_present=1, sequence_number=5) for p in ping]

bad = [
    teb(Ether(**mac) / ARP(psrc=c, pdst=s), key_present=1, key=0),            # not IP
    IP(src="127.0.0.1", dst=monitor) / GRE(proto=0x88BE) / Raw(b"z" * 40),   # ERSPAN: other protocol
    IP(src="127.0.0.1", dst=monitor, proto=47) / Raw(b"\x00"),               # shorter than GRE
]
for p in good + bad:
    send(p)
print(len(good), len(bad))
