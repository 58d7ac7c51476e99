package dev.septum.cli;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code 127.0.0.1:4739}, {@code [::1]:4739} or a bare port (then 127.0.0.1); literals only, no DNS. */
final class HostPort implements ITypeConverter<InetSocketAddress> {
    @Override
    public InetSocketAddress convert(String value) {
        String host = "127.0.0.1";
        String port = value;
        if (value.startsWith("[")) {
            int close = value.indexOf("]:");
            if (close < 0) {
                throw new TypeConversionException("'" + value + "' is not [IPv6]:PORT, e.g. [::1]:4739");
            }
            host = value.substring(1, close);
            port = value.substring(close + 2);
        } else if (value.contains(":")) {
            host = value.substring(0, value.lastIndexOf(':'));
            port = value.substring(value.lastIndexOf(':') + 1);
        }
        if (!host.matches("[0-9A-Fa-f:.]+")) {
            throw new TypeConversionException("'" + host + "' is not an IP address literal; use e.g. 127.0.0.1:4739");
        }
        int p;
        try {
            p = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + port + "' is not a port number (0-65535)");
        }
        if (p < 0 || p > 65535) {
            throw new TypeConversionException("port " + p + " is outside 0-65535");
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), p);
        } catch (UnknownHostException e) {
            throw new TypeConversionException("'" + host + "' is not an IP address literal");
        }
    }
}
