package io.wabatch.upload.media;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Refuses media links that resolve to addresses an attacker could use to reach the worker's own
 * network (server-side request forgery): loopback, private, link-local (cloud metadata
 * 169.254.169.254 included), unique-local, multicast, carrier-grade NAT and unspecified addresses.
 * An explicit allowlist of host names or CIDR ranges lifts the ban for named origins.
 *
 * <p>{@link #check} resolves the host once and returns the address that was checked, so the
 * caller connects to exactly that address (no second DNS lookup that could answer differently).
 * It blocks on DNS: call it off the event loop.
 */
public final class LinkGuard {

    private final List<String> hosts = new ArrayList<>();
    private final List<Cidr> ranges = new ArrayList<>();

    /** @param allow host names and CIDR ranges (e.g. {@code 127.0.0.0/8}) allowed although private */
    public LinkGuard(List<String> allow) {
        for (String entry : allow) {
            String value = entry.strip().toLowerCase(Locale.ROOT);
            if (value.isEmpty()) {
                continue;
            }
            if (value.contains("/")) {
                ranges.add(Cidr.parse(value));
            } else {
                hosts.add(value);
            }
        }
    }

    /** Resolves the link's host and returns the first acceptable address, or throws {@link MediaException}. */
    public InetAddress check(URI link) {
        String host = link.getHost();
        if (host == null) {
            throw new MediaException(MediaException.REJECTED, "link " + Links.redact(link) + " has no host");
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw new MediaException(MediaException.UNAVAILABLE, "cannot resolve host '" + host + "' of " + Links.redact(link));
        }
        boolean hostAllowed = hosts.contains(host.toLowerCase(Locale.ROOT));
        for (InetAddress address : addresses) {
            if (hostAllowed || isPublic(address) || ranges.stream().anyMatch(r -> r.contains(address))) {
                return address;
            }
        }
        throw new MediaException(MediaException.BLOCKED, "link " + Links.redact(link) + " resolves to " + addresses[0].getHostAddress()
                + ", a private, loopback or link-local address; add the host or its range to media.allow "
                + "only if this origin is trusted");
    }

    static boolean isPublic(InetAddress a) {
        if (a.isLoopbackAddress() || a.isSiteLocalAddress() || a.isLinkLocalAddress() || a.isAnyLocalAddress()
                || a.isMulticastAddress()) {
            return false;
        }
        byte[] b = a.getAddress();
        return b.length == 4 ? isPublicV4(b) : isPublicV6(b);
    }

    private static boolean isPublicV4(byte[] b) {
        int first = b[0] & 0xff;
        int second = b[1] & 0xff;
        boolean cgnat = first == 100 && second >= 64 && second < 128;
        boolean benchmarking = first == 198 && (second == 18 || second == 19);
        boolean reserved = first == 0 || first >= 240 || (first == 192 && second == 0 && (b[2] & 0xff) == 0);
        return !cgnat && !benchmarking && !reserved;
    }

    /** IPv6: unique-local is private; addresses that embed an IPv4 address are judged by it. */
    private static boolean isPublicV6(byte[] b) {
        if ((b[0] & 0xfe) == 0xfc) {
            return false;
        }
        boolean nat64 = b[0] == 0 && b[1] == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b;
        boolean compatible = java.util.Arrays.equals(java.util.Arrays.copyOf(b, 12), new byte[12]);
        if (nat64 || compatible) {
            return isPublicV4(java.util.Arrays.copyOfRange(b, 12, 16))
                    && !isPrivateV4(java.util.Arrays.copyOfRange(b, 12, 16));
        }
        if (b[0] == 0x20 && b[1] == 0x02) { // 6to4: 2002:AABB:CCDD::/48 embeds AA.BB.CC.DD
            return isPublicV4(java.util.Arrays.copyOfRange(b, 2, 6)) && !isPrivateV4(java.util.Arrays.copyOfRange(b, 2, 6));
        }
        boolean teredo = b[0] == 0x20 && b[1] == 0x01 && b[2] == 0 && b[3] == 0;
        return !teredo;
    }

    private static boolean isPrivateV4(byte[] b) {
        try {
            InetAddress v4 = InetAddress.getByAddress(b);
            return v4.isLoopbackAddress() || v4.isSiteLocalAddress() || v4.isLinkLocalAddress() || v4.isAnyLocalAddress()
                    || v4.isMulticastAddress();
        } catch (UnknownHostException e) {
            return true;
        }
    }

    /** An IPv4 or IPv6 range. */
    record Cidr(byte[] network, int prefix) {

        static Cidr parse(String text) {
            String[] parts = text.split("/", 2);
            try {
                byte[] network = InetAddress.getByName(parts[0]).getAddress();
                int prefix = Integer.parseInt(parts[1]);
                if (prefix < 0 || prefix > network.length * 8) {
                    throw new IllegalArgumentException("bad prefix in " + text);
                }
                return new Cidr(network, prefix);
            } catch (UnknownHostException | NumberFormatException e) {
                throw new IllegalArgumentException("media.allow entry '" + text + "' is not a CIDR range");
            }
        }

        boolean contains(InetAddress address) {
            byte[] bytes = address.getAddress();
            if (bytes.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (bytes[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            int mask = rest == 0 ? 0 : (0xff << (8 - rest)) & 0xff;
            return rest == 0 || (bytes[full] & mask) == (network[full] & mask);
        }
    }
}
