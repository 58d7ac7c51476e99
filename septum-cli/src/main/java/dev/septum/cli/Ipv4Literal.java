package dev.septum.cli;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** An IPv4 address literal such as {@code 10.255.0.1}; no names, no DNS. */
final class Ipv4Literal implements ITypeConverter<Inet4Address> {
    @Override
    public Inet4Address convert(String value) {
        if (value.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            try {
                if (InetAddress.getByName(value) instanceof Inet4Address v4) {
                    return v4;
                }
            } catch (UnknownHostException e) {
                // falls through to the message below
            }
        }
        throw new TypeConversionException("'" + value + "' is not an IPv4 address literal (e.g. 10.255.0.1)");
    }
}
