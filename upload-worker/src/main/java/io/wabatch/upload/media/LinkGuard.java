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
            throw new MediaException(MediaException.REJECTED, "link " + link + " has no host");
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw new MediaException(MediaException.UNAVAILABLE, "cannot resolve host '" + host + "' of " + link);
        }
        boolean hostAllowed = hosts.contains(host.toLowerCase(Locale.ROOT));
        for (InetAddress address : addresses) {
            if (hostAllowed || isPublic(address) || ranges.stream().anyMatch(r -> r.contains(address))) {
                return address;
            }
        }
        throw new MediaException(MediaException.BLOCKED, "link " + link + " resolves to " + addresses[0].getHostAddress()
                + ", a private, loopback or link-local address; add the host or its range to media.allow "
                + "only if this origin is trusted");
    }

    static boolean isPublic(InetAddress a) {
        if (a.isLoopbackAddress() || a.isSiteLocalAddress() || a.isLinkLocalAddress() || a.isAnyLocalAddress()
                || a.isMulticastAddress()) {
            return false;
        }
        byte[] b = a.getAddress();
        if (b.length == 4) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            boolean cgnat = first == 100 && second >= 64 && second < 128;
            boolean reserved = first == 0 || first >= 240 || (first == 192 && second == 0 && (b[2] & 0xff) == 0);
            return !cgnat && !reserved;
        }
        boolean uniqueLocal = (b[0] & 0xfe) == 0xfc;
        return !uniqueLocal;
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
