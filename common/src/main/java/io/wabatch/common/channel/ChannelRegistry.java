package io.wabatch.common.channel;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * The channels this deployment sends through, validated as a whole: unique ids, one partition
 * per channel (DESIGN §4.1: exactly one sender owns a channel's budget), pacing that can never
 * exceed the number's limit in any second. Immutable and thread-safe.
 */
public final class ChannelRegistry {

    static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final Map<String, Channel> byId;

    private ChannelRegistry(Map<String, Channel> byId) {
        this.byId = byId;
    }

    /** Validates and wraps channels; throws {@link RegistryException} listing every problem. */
    public static ChannelRegistry of(Collection<Channel> channels) {
        List<String> problems = new ArrayList<>();
        Map<String, Channel> byId = new LinkedHashMap<>();
        Map<Integer, String> byPartition = new HashMap<>();
        Map<String, Channel> byPortfolio = new HashMap<>();
        for (Channel channel : channels) {
            check(channel, byId, byPartition, problems);
            samePortfolioBudgets(channel, byPortfolio, problems);
        }
        if (byId.isEmpty() && problems.isEmpty()) {
            problems.add("no channels are configured; add at least one under 'channels:'");
        }
        if (!problems.isEmpty()) {
            throw new RegistryException(problems);
        }
        return new ChannelRegistry(Map.copyOf(byId));
    }

    /** Loads a YAML (or JSON) registry file; credentials are resolved through {@code env}. */
    public static ChannelRegistry load(Path file, UnaryOperator<String> env) {
        return of(RegistryFile.read(file, env));
    }

    /** The numbers of one portfolio share its tier and its marketing cap, so they must state the same ones. */
    private static void samePortfolioBudgets(Channel c, Map<String, Channel> byPortfolio, List<String> problems) {
        Channel first = byPortfolio.putIfAbsent(c.portfolio(), c);
        if (first == null) {
            return;
        }
        if (!java.util.Objects.equals(first.tier(), c.tier())) {
            problems.add("channel '" + c.id() + "': tier " + label(c.tier()) + " differs from channel '" + first.id()
                    + "''s " + label(first.tier()) + " in business portfolio " + c.business().portfolioId()
                    + "; the portfolio's numbers share one messaging limit, so give them the same tier");
        }
        if (!java.util.Objects.equals(first.business().marketingCap(), c.business().marketingCap())) {
            problems.add("channel '" + c.id() + "': marketing_cap " + label(c.business().marketingCap())
                    + " differs from channel '" + first.id() + "''s " + label(first.business().marketingCap())
                    + " in business portfolio " + c.business().portfolioId() + "; the cap is the portfolio's");
        }
    }

    private static String label(Integer limit) {
        return limit == null ? "unlimited" : limit.toString();
    }

    private static void check(Channel c, Map<String, Channel> byId, Map<Integer, String> byPartition,
                              List<String> problems) {
        String name = "channel '" + c.id() + "'";
        if (c.id() == null || !ID.matcher(c.id()).matches()) {
            problems.add("channel id '" + c.id() + "' must be 1 to 64 characters of A-Z a-z 0-9 . _ -");
        } else if (byId.putIfAbsent(c.id(), c) != null) {
            problems.add(name + " is defined twice");
        }
        String owner = byPartition.putIfAbsent(c.partition(), c.id());
        if (c.partition() < 0) {
            problems.add(name + ": partition " + c.partition() + " must be 0 or more");
        } else if (owner != null) {
            problems.add(name + ": partition " + c.partition() + " is already owned by channel '" + owner
                    + "'; each channel needs its own partition so one sender owns its budget");
        }
        if (c.mps() <= 0) {
            problems.add(name + ": mps " + c.mps() + " must be positive (80 by default, up to 1,000)");
        }
        if (!(c.headroom() > 0 && c.headroom() < 1)) {
            problems.add(name + ": headroom " + c.headroom() + " must lie between 0 and 1 (default 0.98)");
        } else if (c.burst() < 1 || c.pace() + c.burst() > c.mps()) {
            problems.add(name + ": burst " + c.burst() + " must be at least 1 and pace (" + c.pace()
                    + ") + burst must not exceed mps " + c.mps() + ", or a second could exceed the limit");
        }
        if (!(c.uploadRate() > 0)) {
            problems.add(name + ": upload rate " + c.uploadRate() + " must be positive (360dialog allows 25/s)");
        }
    }

    /** The channel with this id. */
    public Optional<Channel> find(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** The channel with this id; throws {@link IllegalArgumentException} when unknown. */
    public Channel get(String id) {
        Channel channel = byId.get(id);
        if (channel == null) {
            throw new IllegalArgumentException("unknown channel '" + id + "'");
        }
        return channel;
    }

    /** All channel ids. */
    public Set<String> ids() {
        return byId.keySet();
    }

    /** All channels. */
    public Collection<Channel> all() {
        return byId.values();
    }

    /** The smallest partition count the channel-partitioned topics need. */
    public int requiredPartitions() {
        return byId.values().stream().mapToInt(Channel::partition).max().orElse(-1) + 1;
    }

    /** Channel id → partition, for {@link ChannelPartitioner}. */
    public Map<String, Integer> partitions() {
        Map<String, Integer> map = new HashMap<>();
        byId.values().forEach(c -> map.put(c.id(), c.partition()));
        return map;
    }

    @Override
    public String toString() {
        return "ChannelRegistry" + byId.keySet();
    }
}
