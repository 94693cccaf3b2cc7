package io.wabatch.sender.control;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.wabatch.common.api.ErrorAction;
import io.wabatch.common.api.ErrorClassifier;
import io.wabatch.common.api.WhatsAppClient;
import io.wabatch.common.channel.Channel;
import io.wabatch.common.channel.ChannelRegistry;
import io.wabatch.common.control.ChannelCommand;
import io.wabatch.sender.pace.AdaptivePace;
import io.wabatch.sender.pace.ChannelGate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each channel's state on this sender: running or paused, and its pace. The state comes from the
 * compacted {@code wa.control} topic ({@link #apply}), so every instance and every restart agrees,
 * and from the API's answers: an error that says the channel cannot send ({@link #pauseChannel})
 * or that the WABA's call-rate limit is hit ({@link #pauseWaba}) pauses here at once and is
 * published to {@code wa.control} for the other instances.
 *
 * <p>A paused channel's messages wait at its {@linkplain ChannelGate gate} and its partition is
 * suspended (not fetched, its waiting records off the window), so nothing is lost and the other
 * channels keep the whole window. A pause ends when an operator resumes the channel, when a timed
 * pause's end passes, or, for a pause this sender set because of an API error, when the probe sees
 * the API accept the channel's credential again ({@link Settings#probeInterval()}).
 *
 * <p>Confined to the sender's event loop.
 */
public final class ChannelControl {

    private static final Logger LOG = LoggerFactory.getLogger(ChannelControl.class);
    /** A media id no number has: the probe's GET is refused with 401/190 while the credential is bad. */
    static final String PROBE_MEDIA_ID = "wabatch-probe";
    static final String SENDER = "sender";

    /**
     * @param wabaPause     how long a WABA-wide rate limit (4, 80007) pauses every channel of the WABA
     * @param probeInterval how often a channel this sender paused is probed; zero for never
     */
    public record Settings(Duration wabaPause, Duration probeInterval) {
    }

    private final Vertx vertx;
    private final ChannelRegistry registry;
    private final ChannelGate gate = new ChannelGate();
    private final AdaptivePace pace;
    private final Function<String, WhatsAppClient> clients;
    private final BiConsumer<String, ChannelCommand> publisher;
    private final Settings settings;
    private final Clock clock;
    private final Map<String, ChannelCommand> latest = new HashMap<>();
    private final Map<String, Long> pauseTimers = new HashMap<>();
    private volatile BiConsumer<String, Boolean> suspender = (channel, suspended) -> { };
    private volatile BiConsumer<String, Boolean> probed = (channel, accepted) -> { };

    /**
     * @param publisher writes a channel's new state to {@code wa.control}
     */
    public ChannelControl(Vertx vertx, ChannelRegistry registry, AdaptivePace pace,
                          Function<String, WhatsAppClient> clients, BiConsumer<String, ChannelCommand> publisher,
                          Settings settings, Clock clock) {
        this.vertx = vertx;
        this.registry = registry;
        this.pace = pace;
        this.clients = clients;
        this.publisher = publisher;
        this.settings = settings;
        this.clock = clock;
        if (!settings.probeInterval().isZero()) {
            vertx.setPeriodic(settings.probeInterval().toMillis(), t -> probe());
        }
    }

    /** Told (channel, true) when a channel pauses and (channel, false) when it resumes, to suspend its partition. */
    public void onSuspension(BiConsumer<String, Boolean> listener) {
        this.suspender = listener;
    }

    /** Told (channel, accepted) after each probe, for a metric. */
    public void onProbe(BiConsumer<String, Boolean> listener) {
        this.probed = listener;
    }

    /** Completes when {@code channel} may send. */
    public Future<Void> await(String channel) {
        return gate.await(channel);
    }

    public boolean paused(String channel) {
        return gate.paused(channel);
    }

    /** Messages waiting for the channel to resume. */
    public int waiting(String channel) {
        return gate.waiting(channel);
    }

    /** Applies a command read from {@code wa.control}; commands for channels not in the registry are ignored. */
    public void apply(String channel, ChannelCommand command) {
        if (registry.find(channel).isEmpty()) {
            return;
        }
        latest.put(channel, command);
        applyPace(channel, command);
        Instant now = clock.instant();
        if (command.paused() && !command.expired(now)) {
            if (gate.pause(channel, command.reason())) {
                LOG.warn("channel {} paused by {}: {}{}", channel, command.by(), command.reason(),
                        command.until() == null ? "" : " (until " + command.until() + ")");
                suspender.accept(channel, true);
            }
            scheduleEnd(channel, command);
        } else {
            open(channel, command.by());
        }
    }

    /**
     * A state this sender decided from the platform's events ({@link PlatformActions}): applied here and
     * published to every sender, unless the channel is in it already (each sender reads the same events).
     */
    public void decide(String channel, ChannelCommand next) {
        ChannelCommand current = current(channel);
        if (current.state().equals(next.state()) && java.util.Objects.equals(current.until(), next.until())
                && java.util.Objects.equals(current.mps(), next.mps())
                && java.util.Objects.equals(current.headroom(), next.headroom())) {
            return;
        }
        apply(channel, next);
        publisher.accept(channel, next);
    }

    /**
     * The API says the channel cannot send at all (bad credential, blocked or locked account,
     * payment or spam problem): pause it until an operator or the probe resumes it. A timed pause the
     * platform announced (an account restriction until its expiry) stays: the answers of the messages that
     * were in flight when it came say the same thing (368), and replacing it with an open-ended pause would
     * keep the channel paused after the restriction ends.
     */
    public void pauseChannel(String channel, String reason) {
        ChannelCommand current = current(channel);
        if (current.paused() && (current.until() == null
                || (PlatformActions.BY.equals(current.by()) && !current.expired(clock.instant())))) {
            return;
        }
        ChannelCommand next = current.paused(reason, SENDER, clock.instant(), null);
        LOG.error("channel {} paused: {}. Its messages wait; resume with 'wabatch channel resume {}' once fixed{}",
                channel, reason, channel, settings.probeInterval().isZero() ? ""
                        : " (or it resumes by itself when a probe every " + settings.probeInterval() + " succeeds)");
        apply(channel, next);
        publisher.accept(channel, next);
    }

    /**
     * The WABA's (or app's) call-rate limit is hit (4, 80007): every channel of the WABA pauses for
     * {@link Settings#wabaPause()}. Channels paused without an end stay so.
     */
    public void pauseWaba(String channel, String reason) {
        Channel origin = registry.get(channel);
        Instant now = clock.instant();
        Instant until = now.plus(settings.wabaPause());
        for (Channel member : registry.all()) {
            boolean sameWaba = member.id().equals(origin.id())
                    || (origin.wabaId() != null && origin.wabaId().equals(member.wabaId()));
            ChannelCommand current = current(member.id());
            // Already paused (by anyone, or by an earlier answer of this storm): nothing to add.
            if (!sameWaba || (current.paused() && !current.expired(now))) {
                continue;
            }
            ChannelCommand next = current.paused("WABA call-rate limit: " + reason, SENDER, now, until);
            apply(member.id(), next);
            publisher.accept(member.id(), next);
        }
    }

    /** The channel's latest state (running with the registry's pace before any command). */
    public ChannelCommand current(String channel) {
        return latest.getOrDefault(channel, ChannelCommand.initial());
    }

    private void open(String channel, String by) {
        Long timer = pauseTimers.remove(channel);
        if (timer != null) {
            vertx.cancelTimer(timer);
        }
        if (gate.paused(channel)) {
            LOG.info("channel {} resumed by {}", channel, by);
            gate.resume(channel);
            suspender.accept(channel, false);
        }
    }

    private void scheduleEnd(String channel, ChannelCommand command) {
        Long previous = pauseTimers.remove(channel);
        if (previous != null) {
            vertx.cancelTimer(previous);
        }
        if (command.until() == null) {
            return;
        }
        long delay = Math.max(1, Duration.between(clock.instant(), command.until()).toMillis());
        pauseTimers.put(channel, vertx.setTimer(delay, t -> {
            pauseTimers.remove(channel);
            if (command.equals(latest.get(channel))) {
                open(channel, "its end (" + command.until() + ")");
            }
        }));
    }

    private void applyPace(String channel, ChannelCommand command) {
        Channel registered = registry.get(channel);
        int mps = command.mps() != null ? command.mps() : registered.mps();
        double headroom = command.headroom() != null ? command.headroom() : registered.headroom();
        if (mps < 1 || headroom <= 0 || headroom > 1) {
            LOG.warn("channel {}: ignoring pace override mps={} headroom={} (need mps ≥ 1, 0 < headroom ≤ 1)",
                    channel, command.mps(), command.headroom());
            return;
        }
        double configured = mps * headroom;
        if (Math.abs(configured - pace.configured(channel)) > 1e-9) {
            int burst = Math.max(1, Math.min(registered.burst(), (int) Math.floor(mps - configured)));
            LOG.info("channel {}: pace set to {} msg/s (limit {} × headroom {}) less its inbound rate", channel,
                    String.format(java.util.Locale.ROOT, "%.2f", configured), mps, headroom);
            pace.reconfigure(channel, mps, configured, burst);
        }
    }

    /** For each channel this sender paused for an API error: does the API accept the credential again? */
    private void probe() {
        latest.forEach((channel, command) -> {
            if (!command.paused() || command.until() != null || !SENDER.equals(command.by())) {
                return;
            }
            Future<io.wabatch.common.api.ApiResult<io.wabatch.common.api.MediaInfo>> probe;
            try {
                probe = clients.apply(channel).mediaInfo(PROBE_MEDIA_ID);
            } catch (IllegalStateException closed) {
                return; // the sender is shutting down
            }
            probe.onSuccess(answer -> {
                // No answer or a server error proves nothing; a channel-level refusal proves it still fails.
                boolean refused = !answer.isOk() && (answer.error().httpStatus() == 0 || answer.error().httpStatus() >= 500
                        || ErrorClassifier.classify(answer.error()).kind() == ErrorAction.Kind.PAUSE_CHANNEL);
                probed.accept(channel, !refused);
                if (refused || !Objects.equals(command, latest.get(channel))) {
                    LOG.debug("channel {}: probe still refused: {}", channel,
                            answer.isOk() ? "state changed" : answer.error().describe());
                    return;
                }
                ChannelCommand next = command.running("probe: the API accepts the channel's credential again",
                        "probe", clock.instant());
                apply(channel, next);
                publisher.accept(channel, next);
            });
        });
    }
}
