package dev.myzoom.web;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Who is really on the other end. Behind a reverse proxy every request comes from the proxy, so
 * every throttle would count all users together; the proxy says who the client is in
 * {@code X-Forwarded-For}. That header is believed only from {@code TRUSTED_PROXIES}: anyone else
 * could write anything in it. The header is read from the right (the address the nearest
 * trusted proxy saw), skipping further trusted proxies, so a client cannot slip in a value of
 * its own to the left.
 */
public final class ClientAddress {
    /** An address or a network (CIDR) that a proxy of ours may come from. */
    private record Network(byte[] prefix, int bits) {
        boolean contains(byte[] address) {
            if (address.length != prefix.length) {
                return false;
            }
            int shift = address.length * 8 - bits;
            return new BigInteger(1, address).shiftRight(shift).equals(new BigInteger(1, prefix).shiftRight(shift));
        }
    }

    private final List<Network> trusted;

    /** @param trustedProxies addresses or CIDR networks, e.g. 10.0.0.5 or 10.0.0.0/24 or fd00::/8 */
    public ClientAddress(List<String> trustedProxies) {
        this.trusted = trustedProxies.stream().map(ClientAddress::network).toList();
    }

    /** Whether {@code entry} is an address or CIDR network this class can read (for Config). */
    public static boolean valid(String entry) {
        try {
            network(entry);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static Network network(String entry) {
        String[] parts = entry.trim().split("/", 2);
        byte[] address = literal(parts[0]);
        if (address == null) {
            throw new IllegalArgumentException("not an IP address: " + entry);
        }
        int bits = address.length * 8;
        if (parts.length == 2) {
            try {
                bits = Integer.parseInt(parts[1]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a prefix length: " + entry);
            }
            if (bits < 0 || bits > address.length * 8) {
                throw new IllegalArgumentException("not a prefix length: " + entry);
            }
        }
        return new Network(address, bits);
    }

    /** The bytes of an IP literal, or null if it is not one (never a DNS lookup). */
    private static byte[] literal(String text) {
        String s = text.trim();
        if (s.startsWith("[") && s.endsWith("]")) {
            s = s.substring(1, s.length() - 1);
        }
        boolean ipv4 = s.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        if (!ipv4 && (s.indexOf(':') < 0 || !s.matches("[0-9A-Fa-f:.%a-zA-Z0-9]+"))) {
            return null;
        }
        try {
            return InetAddress.getByName(s).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /**
     * The client's address, given the socket's peer and the request's X-Forwarded-For (null if
     * there is none).
     */
    public String of(String peer, String forwardedFor) {
        if (forwardedFor == null || trusted.isEmpty() || !isTrusted(peer)) {
            return peer;
        }
        String[] hops = forwardedFor.split(",");
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].trim();
            byte[] bytes = literal(hop);
            if (bytes == null) {
                // Garbage from a client or a misconfigured proxy: the last hop we can trust is the peer.
                return peer;
            }
            if (!isTrusted(hop)) {
                return normalised(bytes, hop);
            }
        }
        return peer;
    }

    private boolean isTrusted(String address) {
        byte[] bytes = literal(address);
        return bytes != null && trusted.stream().anyMatch(n -> n.contains(bytes));
    }

    private static String normalised(byte[] bytes, String fallback) {
        try {
            return InetAddress.getByAddress(bytes).getHostAddress();
        } catch (UnknownHostException e) {
            return fallback;
        }
    }
}
