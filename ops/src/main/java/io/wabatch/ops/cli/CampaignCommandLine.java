package io.wabatch.ops.cli;

import io.wabatch.common.channel.Channel;
import io.wabatch.common.channel.ChannelRegistry;
import io.wabatch.common.contract.CampaignFunnel;
import io.wabatch.common.control.CampaignCommand;
import io.wabatch.common.control.CampaignPolicy;
import io.wabatch.common.control.ControlListener;
import io.wabatch.ops.campaign.FunnelReader;
import io.wabatch.common.kafka.TopicNames;
import io.wabatch.ops.campaign.CampaignCsv;
import io.wabatch.ops.campaign.FunnelText;
import io.wabatch.ops.campaign.Redrive;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code wabatch campaign publish|status|pause|resume|cancel|redrive}: a campaign's life from the
 * command line. Publishing validates everything before writing anything and writes all jobs in one
 * Kafka transaction; the state commands write the campaign's record in the compacted {@code
 * wa.control}, which every sender follows; {@code status} reads the funnel aggregator's record.
 */
@Command(name = "campaign", mixinStandardHelpOptions = true,
        description = "Publish a campaign from a CSV, see its funnel, pause, resume, cancel or re-drive it.",
        subcommands = {CampaignCommandLine.Publish.class, CampaignCommandLine.Status.class,
                CampaignCommandLine.Pause.class, CampaignCommandLine.Resume.class, CampaignCommandLine.Cancel.class,
                CampaignCommandLine.RedriveCommand.class})
final class CampaignCommandLine {

    /** Options every subcommand has. */
    abstract static class Base implements Callable<Integer> {
        @Option(names = {"-b", "--bootstrap-server"}, required = true, description = "Kafka bootstrap servers.")
        String bootstrap;

        @Option(names = "--topic-prefix", defaultValue = "wa",
                description = "Prefix of the topic names (default wa: wa.jobs, wa.control, wa.funnel, ...).")
        String prefix;

        TopicNames topics() {
            return "wa".equals(prefix) ? TopicNames.defaults() : TopicNames.withPrefix(prefix);
        }

        KafkaProducer<byte[], byte[]> producer(String transactionalId) {
            Properties props = new Properties();
            props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            props.put(ProducerConfig.ACKS_CONFIG, "all");
            props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
            props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
            if (transactionalId != null) {
                props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
            }
            return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
        }

        /** Writes {@code records} in one Kafka transaction: all of them, or (on any failure) none. */
        void inTransaction(String name, List<ProducerRecord<byte[], byte[]>> records) {
            try (KafkaProducer<byte[], byte[]> producer = producer(name + "-" + UUID.randomUUID().toString().substring(0, 8))) {
                producer.initTransactions();
                producer.beginTransaction();
                try {
                    records.forEach(producer::send);
                    producer.commitTransaction();
                } catch (RuntimeException e) {
                    producer.abortTransaction();
                    throw e;
                }
            }
        }

        /** The campaign's latest command in wa.control, if any. */
        Optional<CampaignCommand> command(String campaign) {
            Map<String, Object> props = new HashMap<>();
            props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            AtomicReference<CampaignCommand> latest = new AtomicReference<>();
            try (ControlListener listener = new ControlListener(props, topics().control(), (id, c) -> { },
                    (id, command) -> {
                        if (id.equals(campaign)) {
                            latest.set(command);
                        }
                    })) {
                listener.start().caughtUp().orTimeout(30, TimeUnit.SECONDS).join();
            }
            return Optional.ofNullable(latest.get());
        }
    }

    @Command(name = "publish", mixinStandardHelpOptions = true,
            description = "Publish a campaign: one message spec, recipients and their variables from a CSV. Every row "
                    + "is validated first; a problem is reported with its line number and nothing is published.")
    static final class Publish extends Base {
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

        @Option(names = "--batch", defaultValue = "1000", description = "Recipients per campaign job (1-1000).")
        int batch;

        @Option(names = "--channels", description = "Channel registry file: checks the channel and estimates the "
                + "duration from its pace and upload rate.")
        Path channels;

        @Option(names = "--dry-run", description = "Validate, count, check opt-outs and the tier, and estimate; "
                + "publish nothing.")
        boolean dryRun;

        @Option(names = "--category", defaultValue = "marketing",
                description = "The messages' pricing category: marketing (opted-out customers are suppressed), utility, "
                        + "authentication or service.")
        String category;

        @Option(names = "--quiet-hours", description = "No message in these hours of the recipient's local time, e.g. "
                + "21:00-08:00; messages wait until they end.")
        String quietHours;

        @Option(names = "--time-zone", description = "IANA zone for the quiet hours instead of the one derived from "
                + "each number's country code (a country with several zones is quiet while any of them is).")
        String timeZone;

        private CampaignPolicy policy() {
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
                return new CampaignPolicy(category, start, end, timeZone);
            } catch (RuntimeException e) {
                throw new CommandLine.ParameterException(new CommandLine(this), e.getMessage());
            }
        }

        @Override
        public Integer call() throws Exception {
            if (batch < 1 || batch > 1000) {
                throw new CommandLine.ParameterException(new CommandLine(this), "--batch must be 1 to 1000");
            }
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
            System.out.printf("%s: %,d rows, %,d recipients, %,d duplicate numbers dropped, %,d jobs; variables %s%n",
                    csv.getFileName(), plan.rows(), plan.recipients(), plan.duplicates(), plan.jobs().size(),
                    plan.placeholders());
            if (!plan.ok()) {
                plan.problems().forEach(p -> System.err.println("  " + p));
                if (plan.moreProblems() > 0) {
                    System.err.printf("  ... and %,d more problems%n", plan.moreProblems());
                }
                System.err.println("nothing was published");
                return 2;
            }
            long optedOut = 0;
            if (policy.marketing()) {
                java.util.Set<String> optOuts = new java.util.HashSet<>();
                io.wabatch.ops.campaign.TopicScan.read(bootstrap, topics().optOuts(), record -> {
                    String phone = new String(record.key(), java.nio.charset.StandardCharsets.UTF_8);
                    if (record.value() == null) {
                        optOuts.remove(phone);
                    } else {
                        optOuts.add(phone);
                    }
                });
                optedOut = plan.phones().stream().filter(optOuts::contains).count();
                System.out.printf("opt-outs: %,d recipients opted out of marketing messages and will be suppressed%n",
                        optedOut);
            }
            if (registered != null) {
                long sendable = plan.recipients() - optedOut;
                double seconds = sendable / registered.pace();
                System.out.printf("estimate: %s at %.1f msg/s (channel %s), plus media uploads at %.0f/s%n",
                        FunnelText.duration(Duration.ofMillis((long) (seconds * 1000))), registered.pace(), channel,
                        registered.uploadRate());
                if (registered.tier() != null && sendable > registered.tier()) {
                    System.out.printf("tier: channel %s may start conversations with %,d new customers per 24 h; this "
                                    + "campaign needs at least %d days (recipients inside their 24-hour window do not "
                                    + "count)%n", channel, registered.tier(),
                            (sendable + registered.tier() - 1) / registered.tier());
                }
            }
            if (policy.hasQuietHours()) {
                System.out.printf("quiet hours: %s-%s in %s%n", policy.quietStart(), policy.quietEnd(),
                        policy.timeZone() != null ? policy.timeZone() : "each recipient's zone (from the country code)");
            }
            Optional<CampaignCommand> existing = command(campaign);
            if (existing.isPresent() && existing.get().published() != null) {
                System.err.printf("campaign %s was already published (%,d recipients at %s): publish under a new id, "
                        + "or 'wabatch campaign redrive %s' to resend what failed%n", campaign,
                        existing.get().published(), existing.get().at(), campaign);
                return 2;
            }
            if (dryRun) {
                System.out.println("dry run: valid, nothing published");
                return 0;
            }
            TopicNames topics = topics();
            List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
            int n = 0;
            for (byte[] job : plan.jobs()) {
                String key = String.format(java.util.Locale.ROOT, "%s-%06d", campaign, ++n);
                records.add(new ProducerRecord<>(topics.jobs(), key.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        job));
            }
            records.add(new CampaignCommand(CampaignCommand.RUNNING, "published from " + csv.getFileName(), "publish",
                    Instant.now(), (long) plan.recipients(), policy).toRecord(topics.control(), campaign));
            inTransaction("wabatch-publish-" + campaign, records);
            System.out.printf("published campaign %s: %,d recipients in %,d jobs to %s in %d ms%n", campaign,
                    plan.recipients(), plan.jobs().size(), topics.jobs(), (System.nanoTime() - started) / 1_000_000);
            return 0;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "The campaign's funnel (from the funnel aggregator): published, accepted, sent, delivered, "
                    + "read, failed by code, ..., pricing, rate and ETA.")
    static final class Status extends Base {
        @Parameters(index = "0", description = "Campaign id.")
        String campaign;

        @Option(names = "--watch", description = "Refresh every --interval seconds until interrupted or finished.")
        boolean watch;

        @Option(names = "--interval", defaultValue = "2", description = "Seconds between refreshes with --watch.")
        int interval;

        @Option(names = "--json", description = "Print the funnel record as JSON.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            Map<String, Object> props = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            try (FunnelReader reader = new FunnelReader(props, topics().funnel())) {
                while (true) {
                    Optional<CampaignFunnel> funnel = reader.latest(campaign);
                    if (funnel.isEmpty()) {
                        System.err.println("no funnel for campaign " + campaign + " yet (is the funnel aggregator, "
                                + "'wabatch funnel', running?)");
                        if (!watch) {
                            return 1;
                        }
                    } else if (json) {
                        System.out.println(new String(io.wabatch.common.contract.Json.bytes(funnel.get()),
                                java.nio.charset.StandardCharsets.UTF_8));
                    } else {
                        System.out.print(FunnelText.render(funnel.get(), Instant.now()));
                    }
                    if (!watch || funnel.map(f -> f.published() != null && f.finished() >= f.published()).orElse(false)) {
                        return 0;
                    }
                    Thread.sleep(interval * 1000L);
                }
            }
        }
    }

    /** Sets the campaign's state. */
    abstract static class Change extends Base {
        @Parameters(index = "0", description = "Campaign id.")
        String campaign;

        @Option(names = "--reason", defaultValue = "operator", description = "Why, for logs and status.")
        String reason;

        abstract String state();

        @Override
        public Integer call() throws Exception {
            CampaignCommand latest = command(campaign).orElse(CampaignCommand.initial());
            if (latest.cancelled()) {
                System.err.println("campaign " + campaign + " is cancelled; that is final");
                return 2;
            }
            CampaignCommand next = latest.to(state(), reason, "operator", Instant.now());
            try (KafkaProducer<byte[], byte[]> producer = producer(null)) {
                producer.send(next.toRecord(topics().control(), campaign)).get(30, TimeUnit.SECONDS);
            }
            System.out.println("campaign " + campaign + " " + next.state());
            return 0;
        }
    }

    @Command(name = "pause", mixinStandardHelpOptions = true,
            description = "Pause a campaign on every sender: its jobs wait in the deferred topics, nothing is lost.")
    static final class Pause extends Change {
        @Override
        String state() {
            return CampaignCommand.PAUSED;
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true,
            description = "Resume a paused campaign (also one the funnel aggregator paused; it will not pause it again).")
    static final class Resume extends Change {
        @Override
        String state() {
            return CampaignCommand.RUNNING;
        }
    }

    @Command(name = "cancel", mixinStandardHelpOptions = true,
            description = "Cancel a campaign: its unsent jobs end with 'cancelled' results. Final.")
    static final class Cancel extends Change {
        @Override
        String state() {
            return CampaignCommand.CANCELLED;
        }
    }

    @Command(name = "redrive", mixinStandardHelpOptions = true,
            description = "Send again the campaign's failed or parked jobs (never one the API accepted), with their job "
                    + "ids and the next generation.")
    static final class RedriveCommand extends Base {
        @Parameters(index = "0", description = "Campaign id.")
        String campaign;

        @Option(names = "--error-code", description = "Only jobs that failed with this code (e.g. 131026, in_doubt).")
        String errorCode;

        @Option(names = "--since", description = "Only jobs whose outcome was written at or after this instant.")
        Instant since;

        @Option(names = "--dry-run", description = "Count; publish nothing.")
        boolean dryRun;

        @Override
        public Integer call() throws Exception {
            Redrive.Plan plan = Redrive.plan(bootstrap, topics(), campaign, errorCode, since);
            System.out.printf("campaign %s: %,d jobs to re-drive; %,d failed before reaching the sender (fix and "
                            + "publish those again); %,d skipped because the API had accepted them%n", campaign,
                    plan.records().size(), plan.withoutReadyJob(), plan.acceptedSkipped());
            if (dryRun || plan.records().isEmpty()) {
                return 0;
            }
            inTransaction("wabatch-redrive-" + campaign, plan.records());
            System.out.printf("re-drove %,d jobs of campaign %s%n", plan.records().size(), campaign);
            return 0;
        }
    }
}
