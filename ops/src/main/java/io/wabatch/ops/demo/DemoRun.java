package io.wabatch.ops.demo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Counter;
import io.wabatch.common.channel.Channel;
import io.wabatch.common.contract.Json;
import io.wabatch.common.contract.Outcome;
import io.wabatch.common.metrics.Metric;
import io.wabatch.sandbox.api.stats.StatsSnapshot;
import java.io.PrintStream;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Publishes the sample campaign to a running {@link DemoStack}, follows {@code wa.results} with a
 * live progress line, and builds the summary from the results and the sandbox's own counts.
 */
public final class DemoRun {

    private final DemoStack stack;
    private final PrintStream out;

    public DemoRun(DemoStack stack, PrintStream out) {
        this.stack = stack;
        this.out = out;
    }

    /** Runs the campaign to its end (or {@code timeout}) and returns the summary. */
    public ObjectNode run(Duration timeout) {
        long started = System.nanoTime();
        String campaignId = "demo-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        SampleCampaign campaign = SampleCampaign.build(campaignId, stack.origin(),
                stack.registry().all().stream().map(Channel::id).sorted().toList());
        campaign.publish(stack.bootstrap(), stack.topics().jobs());
        out.printf("published campaign %s: %d jobs, %d recipients over %d channels%n", campaignId,
                campaign.jobs().size(), campaign.recipients(), stack.registry().ids().size());
        try (ResultsWatcher watcher = new ResultsWatcher(stack.bootstrap(), stack.topics().results(), campaignId)) {
            boolean complete = watcher.awaitResults(campaign.recipients(), timeout, w -> progress(w, campaign, started));
            out.println();
            return summary(campaign, watcher, complete, Duration.ofNanos(System.nanoTime() - started));
        }
    }

    private void progress(ResultsWatcher watcher, SampleCampaign campaign, long started) {
        double seconds = (System.nanoTime() - started) / 1e9;
        // On a terminal the line redraws in place; in a log or pipe each report is its own line.
        out.printf((System.console() != null ? "\r" : "") + "  %5.1f s  results %d/%d  accepted %d  failed %d  uploads %d   "
                + (System.console() != null ? "" : "%n"), seconds, watcher.count(),
                campaign.recipients(), watcher.count(Outcome.ACCEPTED), watcher.count(Outcome.FAILED),
                stack.uploadWorker().uploads());
        out.flush();
    }

    private ObjectNode summary(SampleCampaign campaign, ResultsWatcher watcher, boolean complete, Duration duration) {
        ObjectNode summary = Json.mapper().createObjectNode();
        summary.put("campaign_id", campaign.campaignId());
        summary.put("complete", complete);
        summary.put("jobs_published", campaign.jobs().size());
        summary.put("recipients_published", campaign.recipients());
        summary.put("messages_accepted", watcher.count(Outcome.ACCEPTED));
        summary.put("messages_failed", watcher.count(Outcome.FAILED));
        ObjectNode outcomes = summary.putObject("outcomes");
        watcher.outcomes().forEach((outcome, count) -> outcomes.put(outcome.wireName(), count));
        summary.put("duplicate_results", watcher.duplicateResults());
        summary.put("uploads", stack.uploadWorker().uploads());
        summary.put("distinct_media", campaign.distinctMedia() * stack.registry().ids().size());
        summary.put("duration_ms", duration.toMillis());
        summary.putPOJO("channels", stack.registry().ids().stream().sorted().toList());
        templateCounts(summary);
        sandboxCounts(summary, watcher);
        return summary;
    }

    /**
     * The templates the upload worker holds for each channel's account it has listed (none: template jobs
     * pass unchecked), and its verdicts on template jobs so far ({@code wabatch.upload.template.checks}).
     */
    private void templateCounts(ObjectNode summary) {
        ObjectNode catalogue = summary.putObject("template_catalogue");
        stack.registry().all().stream().map(Channel::wabaId).filter(Objects::nonNull).distinct().sorted()
                .forEach(account -> stack.uploadWorker().templates().account(account)
                        .ifPresent(listed -> catalogue.put(account, listed.templates())));
        ObjectNode checks = summary.putObject("template_checks");
        for (String result : List.of("passed", "failed", "unchecked")) {
            Counter counter = stack.uploadMeters().find(Metric.UPLOAD_TEMPLATE_CHECKS.meterName())
                    .tag("result", result).counter();
            checks.put(result, counter == null ? 0 : (long) counter.count());
        }
    }

    private void sandboxCounts(ObjectNode summary, ResultsWatcher watcher) {
        long accepted = 0;
        long uploads = 0;
        long duplicates = 0;
        long duplicateBodies = 0;
        long linkMedia = 0;
        Map<String, Long> rejected = new HashMap<>();
        ObjectNode perChannel = summary.putObject("per_channel");
        for (Channel channel : stack.registry().all()) {
            StatsSnapshot stats = stack.sandbox().stats(numberId(channel));
            accepted += stats.accepted();
            uploads += stats.uploads();
            duplicates += stats.duplicates();
            duplicateBodies += stats.duplicateBodies();
            linkMedia += stats.linkMedia();
            stats.rejectedByCode().forEach((code, n) -> rejected.merge(code.toString(), n, Long::sum));
            ResultsWatcher.ChannelTally tally = watcher.channels().get(channel.id());
            ObjectNode c = perChannel.putObject(channel.id());
            c.put("provider", channel.endpoint().provider().name().toLowerCase(java.util.Locale.ROOT));
            c.put("pace_mps", channel.pace());
            c.put("messages_accepted", tally == null ? 0 : tally.accepted());
            c.put("achieved_mps", tally == null ? 0 : Math.round(tally.rate() * 10) / 10.0);
            c.put("sandbox_accepted", stats.accepted());
            c.put("sandbox_peak_per_second", stats.peakPerSecond());
        }
        summary.put("sandbox_accepted", accepted);
        summary.put("sandbox_uploads", uploads);
        summary.put("sandbox_duplicates", duplicates);
        summary.put("sandbox_duplicate_bodies", duplicateBodies);
        summary.put("sandbox_link_media", linkMedia);
        summary.putPOJO("sandbox_rejected_by_code", rejected);
    }

    /** The sandbox number behind a channel: Meta's phone-number id, or the demo 360dialog number. */
    private static String numberId(Channel channel) {
        return channel.endpoint().phoneNumberId() != null ? channel.endpoint().phoneNumberId()
                : io.wabatch.sandbox.api.SandboxConfig.DEMO_D360_NUMBER_ID;
    }
}
