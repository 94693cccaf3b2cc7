package io.wabatch.sender.pace;

import io.vertx.core.Vertx;
import io.wabatch.common.channel.Channel;
import io.wabatch.common.pace.RatePacer;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * Each channel's message pace: its target is the configured pace ({@code mps × headroom}) less the rate at which
 * customers wrote to its number over the last inbound window ({@link InboundRate}, rounded up to whole messages a
 * second; Meta counts inbound and outbound messages against one limit), and at least the floor
 * ({@code floorShare} of the configured pace). It follows the target at once while the channel runs
 * undisturbed, and adapts to the API's answers: a 130429 (throughput limit hit) cuts the pace by {@code decrease}
 * (multiplicative decrease, at most once per {@code holdoff}, since the requests already in flight answer 130429
 * too), and every {@code recoveryInterval} the pace climbs back by {@code recoveryStep} of the configured pace
 * until it reaches the target again, or 90 % of the pace at which the limit was hit (the ceiling; it rises again
 * after 60 s without a 130429). Three 130429 cuts in a row at the floor are a storm, not a limit: they clear the
 * ceiling. Confined to the sender's event loop.
 */
public final class AdaptivePace {

    /** How the pace adapts. */
    public record Settings(double decrease, Duration holdoff, Duration recoveryInterval, double recoveryStep,
                           double floorShare) {
    }

    private static final Duration CEILING_RELAX = Duration.ofSeconds(60);
    private static final double CEILING_SHARE = 0.9;
    /** Cuts at the floor, one per holdoff, that make a storm. */
    private static final int STORM_HITS = 3;
    /** How often the inbound rates are read. */
    private static final long INBOUND_REFRESH_MS = 200;

    private final RatePacer pacer;
    private final SecondCap cap;
    private final Settings settings;
    private final Map<String, State> channels = new HashMap<>();
    private final InboundRate inbound;

    /** A pace that does not follow inbound traffic (its targets are the configured paces). */
    public AdaptivePace(Vertx vertx, Collection<Channel> all, Settings settings) {
        this(vertx, all, settings, null);
    }

    /** @param inbound the channels' inbound rates, or null to ignore inbound traffic */
    public AdaptivePace(Vertx vertx, Collection<Channel> all, Settings settings, InboundRate inbound) {
        this.settings = settings;
        this.inbound = inbound;
        Map<String, RatePacer.Rate> rates = new HashMap<>();
        all.forEach(c -> {
            rates.put(c.id(), new RatePacer.Rate(c.pace(), c.burst()));
            channels.put(c.id(), new State(c.mps(), c.pace(), c.burst()));
        });
        this.pacer = new RatePacer(vertx, rates);
        Map<String, Integer> limits = new HashMap<>();
        channels.forEach((id, state) -> limits.put(id, state.secondLimit(settings.floorShare())));
        this.cap = new SecondCap(vertx, limits);
        vertx.setPeriodic(settings.recoveryInterval().toMillis(), t -> recover());
        if (inbound != null) {
            vertx.setPeriodic(INBOUND_REFRESH_MS, t -> followInbound());
        }
    }

    /** Completes when the channel may send its next message. */
    public io.vertx.core.Future<Void> acquire(String channel) {
        return pacer.acquire(channel);
    }

    /** A token from {@link #acquire} that was not used: it goes to the next message at once. */
    public void giveBack(String channel) {
        pacer.giveBack(channel);
    }

    /**
     * Completes when the message that holds a pace token may go without passing the channel's limit
     * in the current wall-clock second (see {@link SecondCap}: its target pace and burst, within the
     * number's limit less its inbound rate); call right before the API call.
     */
    public io.vertx.core.Future<Void> sendSlot(String channel) {
        return cap.acquire(channel);
    }

    /** The API answered 130429 for this channel. */
    public void throughputLimitHit(String channel) {
        State state = channels.get(channel);
        long now = System.nanoTime();
        if (state == null || now - state.lastDecrease < settings.holdoff().toNanos()) {
            return;
        }
        state.lastDecrease = now;
        if (state.current > state.configured * settings.floorShare()) {
            // Remember where the limit was hit, sends and customers' messages together: recovery stays below
            // it instead of climbing into it again, whatever the inbound rate does meanwhile.
            state.ceiling = Math.min(state.ceiling, state.current + state.inbound);
            state.floorHits = 0;
        } else if (++state.floorHits >= STORM_HITS) {
            // Refused again and again at the floor (not just late answers to calls sent above it): the
            // API refuses everything for now (a storm), which says nothing about where its limit lies.
            // Forget the ceiling, so the pace climbs all the way back once the storm passes instead of
            // crawling until the ceiling relaxes.
            state.ceiling = Double.MAX_VALUE;
        }
        state.current = Math.max(state.configured * settings.floorShare(), state.current * settings.decrease());
        pacer.setRate(channel, new RatePacer.Rate(state.current, state.burst));
    }

    /**
     * A new configured pace (an operator's override through {@code wa.control}): the channel runs at
     * it, less its inbound rate, from now on and forgets where the API's limit was hit before.
     */
    public void reconfigure(String channel, int mps, double configured, int burst) {
        State state = channels.get(channel);
        if (state == null) {
            return;
        }
        state.mps = mps;
        state.configured = configured;
        state.burst = burst;
        state.current = state.target(settings.floorShare());
        cap.setLimit(channel, state.secondLimit(settings.floorShare()));
        state.ceiling = Double.MAX_VALUE;
        pacer.setRate(channel, new RatePacer.Rate(state.current, burst));
    }

    /** The pace the channel runs at now, in messages per second. */
    public double current(String channel) {
        State state = channels.get(channel);
        return state == null ? 0 : state.current;
    }

    /** The configured pace ({@code mps × headroom}). */
    public double configured(String channel) {
        State state = channels.get(channel);
        return state == null ? 0 : state.configured;
    }

    /** The pace the channel aims at without 130429 answers: the configured pace less its inbound rate. */
    public double target(String channel) {
        State state = channels.get(channel);
        return state == null ? 0 : state.target(settings.floorShare());
    }

    /** Messages per second customers wrote to the channel's number lately, as the pace last read them. */
    public double inbound(String channel) {
        State state = channels.get(channel);
        return state == null ? 0 : state.inbound;
    }

    /**
     * Reads the inbound rates: a channel's target follows its inbound traffic. Running at its target, the channel
     * moves to the new one at once; backing off after 130429, it only comes down to a lower target at once and
     * climbs to a higher one by recovery steps.
     */
    private void followInbound() {
        channels.forEach((id, state) -> {
            double rate = Math.ceil(inbound.perSecond(id) - 1e-9);
            if (rate == state.inbound) {
                return;
            }
            double before = state.target(settings.floorShare());
            state.inbound = rate;
            double target = state.target(settings.floorShare());
            boolean atTarget = state.current >= before - 1e-9;
            if (atTarget || state.current > target) {
                state.current = target;
                pacer.setRate(id, new RatePacer.Rate(state.current, state.burst));
            }
            cap.setLimit(id, state.secondLimit(settings.floorShare()));
        });
    }

    private void recover() {
        channels.forEach((id, state) -> {
            long quiet = System.nanoTime() - state.lastDecrease;
            double aim = state.target(settings.floorShare());
            // What the limit, where it was last hit, leaves for sends beside today's inbound rate.
            double ceiling = state.ceiling - state.inbound;
            if (ceiling < aim && quiet >= CEILING_RELAX.toNanos()) {
                // A long quiet spell: probe above the old ceiling again, a step at a time.
                state.ceiling = Math.min(aim + state.inbound, state.ceiling + state.configured * settings.recoveryStep());
                ceiling = state.ceiling - state.inbound;
            }
            double target = ceiling >= aim ? aim : Math.min(aim, ceiling * CEILING_SHARE);
            if (state.current < target && quiet >= settings.recoveryInterval().toNanos()) {
                state.current = Math.min(target, state.current + state.configured * settings.recoveryStep());
                pacer.setRate(id, new RatePacer.Rate(state.current, state.burst));
            }
        });
    }

    private static final class State {
        int mps;
        double configured;
        int burst;
        double current;
        /** Where the API's limit was last hit: the pace then plus the inbound rate then. */
        double ceiling = Double.MAX_VALUE;
        /** Inbound messages per second, rounded up. */
        double inbound;
        int floorHits;
        long lastDecrease = System.nanoTime() - Duration.ofDays(1).toNanos();

        State(int mps, double configured, int burst) {
            this.mps = mps;
            this.configured = configured;
            this.current = configured;
            this.burst = burst;
        }

        /** The configured pace less the inbound rate, never below the floor. */
        double target(double floorShare) {
            return Math.max(configured * floorShare, configured - inbound);
        }

        /**
         * The most messages a wall-clock second may carry ({@link SecondCap}): what the target pace's bucket lets
         * through in a second, so jitter between taking a token and sending cannot bunch more into one, and never
         * more than the number's limit less the customers' messages expected in the second.
         */
        int secondLimit(double floorShare) {
            return (int) Math.max(1, Math.min(mps - inbound, Math.floor(target(floorShare) + burst)));
        }
    }
}
