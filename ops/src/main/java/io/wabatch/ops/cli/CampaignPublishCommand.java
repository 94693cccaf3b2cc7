package io.wabatch.ops.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wabatch.common.channel.Channel;
import io.wabatch.common.channel.ChannelRegistry;
import io.wabatch.common.control.CampaignCommand;
import io.wabatch.common.control.CampaignPolicy;
import io.wabatch.common.kafka.TopicNames;
import io.wabatch.ops.campaign.CampaignCsv;
import io.wabatch.ops.campaign.CampaignProducers;
import io.wabatch.ops.campaign.CampaignTemplate;
import io.wabatch.ops.campaign.FunnelText;
import io.wabatch.ops.campaign.OptOuts;
import io.wabatch.ops.campaign.Publication;
import io.wabatch.ops.template.Catalogues;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code wabatch campaign publish}: validates a campaign's CSV and message, reports counts, opt-outs, the
 * estimate and the tier, then writes every job and the campaign's {@code running} command in one Kafka
 * transaction ({@link Publication}). Exit code 2, with nothing published, when a row is invalid, the channel
 * is not in the registry given or the campaign was published before; a bad option is a usage error (2).
 */
@Command(name = "publish", mixinStandardHelpOptions = true,
        description = "Publish a campaign: one message spec, recipients and their variables from a CSV. Every row "
                + "is validated first; a problem is reported with its line number and nothing is published.")
final class CampaignPublishCommand implements Callable<Integer> {

    @Mixin
    CampaignOptions kafka;

    @Option(names = "--campaign", required = true, description = "Campaign id (1-57 of [A-Za-z0-9._:/-]).")
    String campaign;

    @Option(names = "--channel", required = true, description = "Channel id from the registry that sends it.")
    String channel;

    @Option(names = "--recipients", required = true,
            description = "CSV with a header: a 'phone' (or 'to') column in international format, and one column "
                    + "per {{variable}} the message uses.")
    Path csv;

    @Option(names = "--message", required = true,
            description = "JSON file with the WhatsApp message body (type and content, without 'to'); media by "
                    + "'link' are pre-uploaded, {{name}} placeholders filled from the CSV's columns.")
    Path message;

    @Option(names = "--not-before", description = "Send no message before this instant (ISO-8601).")
    Instant notBefore;

    @Option(names = "--not-after", description = "Messages not sent by this instant (ISO-8601) expire.")
    Instant notAfter;

    @Option(names = "--send-before", description = "The campaign's deadline (ISO-8601): no message is sent at or "
            + "after it; what was not sent by then (paused, waiting for quiet hours, the tier or a retry) ends "
            + "'expired'. Kept in the campaign's control record, so it holds for every sender and through a pause.")
    Instant sendBefore;

    @Option(names = "--over-cap", defaultValue = CampaignPolicy.WAIT, description = "What a marketing template "
            + "over its portfolio's per-user marketing cap (the registry's marketing_cap) does: wait (until the "
            + "user's oldest counted template leaves the window) or skip (ends 'failed' with marketing_cap).")
    String overCap;

    @Option(names = "--resume-on-approval", description = "When WhatsApp pauses the campaign's template (a "
            + "message_template_status_update webhook), the campaign pauses; with this, it resumes by itself when the "
            + "template is approved again. Without it, it stays paused for 'wabatch campaign resume'.")
    boolean resumeOnApproval;

    @Option(names = "--allow-category-change", description = "When WhatsApp changes the campaign's template to "
            + "marketing (a template_category_update webhook) and the campaign declared another category, it goes on "
            + "as marketing (opt-outs, the marketing cap and the US pause then apply) with a warning. Without it, it "
            + "pauses (as marketing) for 'wabatch campaign resume'.")
    boolean allowCategoryChange;

    @Option(names = "--batch", defaultValue = "1000", description = "Recipients per campaign job (1-1000).")
    int batch;

    @Option(names = "--channels", description = "Channel registry file: checks the channel and estimates the "
            + "duration from its pace and upload rate.")
    Path channels;

    @Option(names = "--dry-run", description = "Validate, count, check opt-outs and the tier, and estimate; "
            + "publish nothing.")
    boolean dryRun;

    @Option(names = "--category",
            description = "The messages' pricing category: marketing (opted-out customers are suppressed), utility, "
                    + "authentication or service. Default: a template's category from the template catalogue, else "
                    + "marketing; a --category that differs from the template's is reported.")
    String category;

    @Option(names = "--quiet-hours", description = "No message in these hours of the recipient's local time, e.g. "
            + "21:00-08:00; messages wait until they end.")
    String quietHours;

    @Option(names = "--time-zone", description = "IANA zone for the quiet hours instead of the one derived from "
            + "each number's country code (a country with several zones is quiet while any of them is).")
    String timeZone;

    @Override
    public Integer call() throws Exception {
        if (batch < 1 || batch > 1000) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--batch must be 1 to 1000");
        }
        CampaignTemplate.Verdict template = template();
        category = template.category();
        CampaignPolicy policy = policy();
        long started = System.nanoTime();
        CampaignCsv.Plan plan = CampaignCsv.plan(csv, new CampaignCsv.Spec(campaign, channel,
                CampaignCsv.message(message), notBefore, notAfter, batch));
        Channel registered = null;
        if (channels != null) {
            registered = ChannelRegistry.load(channels, System::getenv).find(channel).orElse(null);
            if (registered == null) {
                System.err.println("channel '" + channel + "' is not in " + channels);
                return 2;
            }
        }
        if (!reportPlan(plan) || !reportTemplate(template)) {
            return 2;
        }
        long optedOut = policy.marketing() ? reportOptOuts(plan) : 0;
        if (registered != null) {
            reportEstimate(registered, plan.recipients() - optedOut);
        }
        if (policy.hasQuietHours()) {
            System.out.printf("quiet hours: %s-%s in %s%n", policy.quietStart(), policy.quietEnd(),
                    policy.timeZone() != null ? policy.timeZone() : "each recipient's zone (from the country code)");
        }
        if (policy.sendBefore() != null) {
            System.out.printf("deadline: send before %s (in %s); what is not sent by then expires%n",
                    policy.sendBefore(), FunnelText.duration(Duration.between(Instant.now(), policy.sendBefore())));
        }
        if (publishedBefore()) {
            return 2;
        }
        if (dryRun) {
            System.out.println("dry run: valid, nothing published");
            return 0;
        }
        publish(plan, policy, started);
        return 0;
    }

    /**
     * The policy from --category, --quiet-hours, --time-zone and --send-before; a usage error if they do not
     * make one, or if the deadline has passed or comes no later than --not-before (nothing could be sent).
     */
    private CampaignPolicy policy() throws IOException {
        if (sendBefore != null && !sendBefore.isAfter(Instant.now())) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--send-before " + sendBefore
                    + " has passed: every message would expire unsent");
        }
        if (sendBefore != null && notBefore != null && !notBefore.isBefore(sendBefore)) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--not-before " + notBefore
                    + " must be earlier than --send-before " + sendBefore + ": nothing could be sent");
        }
        String start = null;
        String end = null;
        if (quietHours != null) {
            String[] parts = quietHours.split("-");
            if (parts.length != 2) {
                throw new CommandLine.ParameterException(new CommandLine(this),
                        "--quiet-hours must look like 21:00-08:00, got " + quietHours);
            }
            start = parts[0].strip();
            end = parts[1].strip();
        }
        try {
            return new CampaignPolicy(category, start, end, timeZone, sendBefore, overCap, templateRef());
        } catch (RuntimeException e) {
            throw new CommandLine.ParameterException(new CommandLine(this), e.getMessage());
        }
    }

    /** The campaign's template (name and language) when its message is a template, else null. */
    private CampaignPolicy.Template templateRef() throws IOException {
        ObjectNode spec = CampaignCsv.message(message);
        if (!"template".equals(spec.path("type").asText())) {
            return null;
        }
        String name = spec.path("template").path("name").asText(null);
        String language = spec.path("template").path("language").path("code").asText(null);
        return name == null || language == null ? null
                : new CampaignPolicy.Template(name, language, resumeOnApproval, allowCategoryChange);
    }

    /** A template message's verdict from the template catalogue (its category when --category is not given). */
    private CampaignTemplate.Verdict template() throws IOException {
        ObjectNode spec = CampaignCsv.message(message);
        if (!"template".equals(spec.path("type").asText())) {
            return new CampaignTemplate.Verdict(category, List.of(), List.of(), null);
        }
        String account = channels == null ? null : ChannelRegistry.load(channels, System::getenv).find(channel)
                .map(Channel::wabaId).orElse(null);
        return CampaignTemplate.judge(spec, category, account,
                Catalogues.read(kafka.bootstrap, kafka.topics().templates()));
    }

    /** Prints what the catalogue said. @return false when every job would fail its template check */
    private static boolean reportTemplate(CampaignTemplate.Verdict template) {
        template.notes().forEach(System.out::println);
        template.warnings().forEach(System.err::println);
        if (template.problem() == null) {
            return true;
        }
        System.err.println("template: " + template.problem());
        System.err.println("nothing was published");
        return false;
    }

    /** Prints the CSV's counts, and its problems if any. @return whether the plan is valid */
    private boolean reportPlan(CampaignCsv.Plan plan) {
        System.out.printf("%s: %,d rows, %,d recipients, %,d duplicate numbers dropped, %,d jobs; variables %s%n",
                csv.getFileName(), plan.rows(), plan.recipients(), plan.duplicates(), plan.jobs().size(),
                plan.placeholders());
        if (plan.ok()) {
            return true;
        }
        plan.problems().forEach(p -> System.err.println("  " + p));
        if (plan.moreProblems() > 0) {
            System.err.printf("  ... and %,d more problems%n", plan.moreProblems());
        }
        System.err.println("nothing was published");
        return false;
    }

    /** Counts and prints the recipients opted out of marketing. @return their number */
    private long reportOptOuts(CampaignCsv.Plan plan) {
        Set<String> optOuts = OptOuts.read(kafka.bootstrap, kafka.topics().optOuts());
        long optedOut = plan.phones().stream().filter(optOuts::contains).count();
        System.out.printf("opt-outs: %,d recipients opted out of marketing messages and will be suppressed%n",
                optedOut);
        return optedOut;
    }

    /** Prints how long sending takes at the channel's pace, and how many days its tier needs. */
    private void reportEstimate(Channel registered, long sendable) {
        double seconds = sendable / registered.pace();
        System.out.printf("estimate: %s at %.1f msg/s (channel %s), plus media uploads at %.0f/s%n",
                FunnelText.duration(Duration.ofMillis((long) (seconds * 1000))), registered.pace(), channel,
                registered.uploadRate());
        if (sendBefore != null && Instant.now().plusMillis((long) (seconds * 1000)).isAfter(sendBefore)) {
            System.out.printf("deadline: at that pace the campaign does not finish before %s; what is not sent by "
                    + "then expires%n", sendBefore);
        }
        if (registered.tier() != null && sendable > registered.tier()) {
            System.out.printf("tier: channel %s may start conversations with %,d new customers per 24 h; this "
                            + "campaign needs at least %d days (recipients inside their 24-hour window do not "
                            + "count)%n", channel, registered.tier(),
                    (sendable + registered.tier() - 1) / registered.tier());
        }
    }

    /** Whether the campaign id was published before (then says so): a campaign is published once. */
    private boolean publishedBefore() {
        Optional<CampaignCommand> existing = kafka.control().latest(campaign);
        if (existing.isEmpty() || existing.get().published() == null) {
            return false;
        }
        System.err.printf("campaign %s was already published (%,d recipients at %s): publish under a new id, "
                + "or 'wabatch campaign redrive %s' to resend what failed%n", campaign,
                existing.get().published(), existing.get().at(), campaign);
        return true;
    }

    /** Writes the jobs and the campaign's command in one transaction. */
    private void publish(CampaignCsv.Plan plan, CampaignPolicy policy, long started) {
        TopicNames topics = kafka.topics();
        CampaignProducers.inTransaction(kafka.bootstrap, "wabatch-publish-" + campaign, Publication.records(topics,
                campaign, plan, String.valueOf(csv.getFileName()), policy, Instant.now()));
        System.out.printf("published campaign %s: %,d recipients in %,d jobs to %s in %d ms%n", campaign,
                plan.recipients(), plan.jobs().size(), topics.jobs(), (System.nanoTime() - started) / 1_000_000);
    }
}
