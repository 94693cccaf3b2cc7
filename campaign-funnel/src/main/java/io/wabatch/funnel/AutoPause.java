package io.wabatch.funnel;

import io.wabatch.common.contract.CampaignFunnel;
import io.wabatch.common.contract.Json;
import io.wabatch.common.control.CampaignCommand;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import org.apache.kafka.streams.KeyValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A campaign pauses itself when its failure ratio passes the threshold, or at once when it failed with
 * 132015/132016 (template paused or disabled): a command written to {@code wa.control} with the reason.
 * An operator's resume is final. One instance per topology; called from its stream thread.
 */
final class AutoPause {

    private static final Logger LOG = LoggerFactory.getLogger(AutoPause.class);
    static final String BY = "auto-pause";
    private static final List<String> TEMPLATE_STOPPED = List.of("132015", "132016");
    /**
     * Refusals by the sender's own policy (opt-outs, the 24-hour window, the US marketing pause, the per-user
     * marketing cap): not a sign the campaign goes wrong.
     */
    private static final Set<String> POLICY_CODES = Set.of("opted_out", "outside_window", "us_marketing_pause",
            "marketing_cap");
    /** How long an auto-pause not yet read back waits before it is written again. */
    private static final Duration RETRY_PAUSE = Duration.ofSeconds(30);

    private final FunnelTopology.Settings settings;
    private final Clock clock;
    private final BiConsumer<String, String> autoPaused;
    /**
     * When this instance last paused a campaign that still runs: once its pause is read back the state
     * changes; if the transaction carrying it aborted, it is written again after {@link #RETRY_PAUSE}.
     */
    private final Map<String, Instant> pausing = new ConcurrentHashMap<>();

    AutoPause(FunnelTopology.Settings settings, Clock clock, BiConsumer<String, String> autoPaused) {
        this.settings = settings;
        this.clock = clock;
        this.autoPaused = autoPaused;
    }

    /** The pause command to write for this change of the campaign's funnel, if it must pause now. */
    List<KeyValue<byte[], byte[]>> onChange(String campaign, CampaignFunnel funnel, CampaignCommand command) {
        if (!CampaignCommand.RUNNING.equals(command.state())) {
            pausing.remove(campaign);
        }
        String reason = reason(funnel, settings);
        Instant now = clock.instant();
        Instant last = pausing.get(campaign);
        if (reason == null || (last != null && now.isBefore(last.plus(RETRY_PAUSE)))) {
            return List.of();
        }
        pausing.put(campaign, now);
        LOG.warn("campaign {} auto-paused: {}", campaign, reason);
        autoPaused.accept(campaign, reason);
        // The campaign's record with another state: its policy and published count stay.
        CampaignCommand pause = command.to(CampaignCommand.PAUSED, reason, BY, now);
        return List.of(KeyValue.pair(CampaignCommand.key(campaign), Json.bytes(pause)));
    }

    /** Why a running campaign must pause by itself, or null. An operator's resume is final. */
    static String reason(CampaignFunnel funnel, FunnelTopology.Settings settings) {
        if (!CampaignCommand.RUNNING.equals(funnel.state()) || "operator".equals(funnel.by())) {
            return null;
        }
        for (String code : TEMPLATE_STOPPED) {
            if (funnel.failedByCode().containsKey(code)) {
                return "the template was " + (code.equals("132015") ? "paused" : "disabled") + " by WhatsApp ("
                        + code + ", " + funnel.failedByCode().get(code) + " failures); fix or replace it, then "
                        + "'wabatch campaign resume " + funnel.campaignId() + "'";
            }
        }
        // Of the jobs whose fate is known: failed (before sending or by status) or delivered. Accepted jobs
        // still waiting for their statuses would dilute the ratio while the failures are on their way.
        long refusedByPolicy = funnel.failedByCode().entrySet().stream()
                .filter(e -> POLICY_CODES.contains(e.getKey())).mapToLong(Map.Entry::getValue).sum();
        long failed = funnel.failed() - refusedByPolicy;
        long known = failed + funnel.delivered();
        if (settings.failureRatio() < 1.0 && known >= settings.minFinished()
                && failed > settings.failureRatio() * known) {
            return String.format(Locale.ROOT, "%d of %d jobs with a known fate failed (%.0f %%, threshold "
                            + "%.0f %%), most with %s; check 'wabatch campaign status %s', then resume or cancel",
                    failed, known, 100.0 * failed / known, 100 * settings.failureRatio(),
                    funnel.failedByCode().entrySet().stream().max(Map.Entry.comparingByValue())
                            .map(Map.Entry::getKey).orElse("?"), funnel.campaignId());
        }
        return null;
    }
}
