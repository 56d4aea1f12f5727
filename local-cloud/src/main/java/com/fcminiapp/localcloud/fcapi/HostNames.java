package com.fcminiapp.localcloud.fcapi;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Host names as local-cloud meets them in {@code --host} and in {@code Host} headers: IP literals parsed without
 * a DNS lookup, the host part of a {@code Host} header, and whether it names this machine's loopback interface.
 */
public final class HostNames {

    private static final String OCTET = "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
    private static final Pattern IPV4 = Pattern.compile(OCTET + "(\\." + OCTET + "){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");
    private static final String LABEL = "[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
    /** {@code host[:port]}: a DNS name, an IPv4 literal or a bracketed IPv6 literal. */
    private static final Pattern HOST_HEADER = Pattern.compile(
            "(" + LABEL + "(\\." + LABEL + ")*|\\[[0-9A-Fa-f:.]+\\])(:\\d{1,5})?");

    private HostNames() {
    }

    /**
     * An IPv4 or IPv6 literal (brackets allowed) as an address, or empty for anything else; never a lookup, so
     * what is bound or trusted is exactly what was written.
     */
    public static Optional<InetAddress> literal(String text) {
        String bare = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        boolean ipv4 = IPV4.matcher(bare).matches();
        if (!ipv4 && !IPV6.matcher(bare).matches()) {
            return Optional.empty();
        }
        try {
            // in brackets the JDK refuses a bad IPv6 text instead of looking it up
            return Optional.of(InetAddress.getByName(ipv4 ? bare : "[" + bare + "]"));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    /**
     * The host of a {@code Host} header without its port ({@code 127.0.0.2}, {@code [::1]}, {@code my-pc.local}),
     * or empty when the header is missing or is no host name (so it can be put in a URL as it is).
     */
    public static Optional<String> hostOf(String hostHeader) {
        if (hostHeader == null) {
            return Optional.empty();
        }
        Matcher m = HOST_HEADER.matcher(hostHeader.trim());
        if (!m.matches() || m.group(1).length() > 253) {
            return Optional.empty();
        }
        String host = m.group(1);
        if (host.startsWith("[") && literal(host).isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(host);
    }

    /** Whether a host (as {@link #hostOf} gives it) names the loopback interface: 127.0.0.0/8, localhost, [::1]. */
    public static boolean isLoopback(String host) {
        if (host.toLowerCase(Locale.ROOT).equals("localhost")) {
            return true;
        }
        return (IPV4.matcher(host).matches() || host.startsWith("["))
                && literal(host).map(InetAddress::isLoopbackAddress).orElse(false);
    }
}
