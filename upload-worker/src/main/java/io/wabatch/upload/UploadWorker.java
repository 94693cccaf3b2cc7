package io.wabatch.upload;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.client.WebClient;
import io.wabatch.common.api.WhatsAppClient;
import io.wabatch.common.api.WhatsAppClients;
import io.wabatch.common.channel.Channel;
import io.wabatch.common.channel.ChannelPartitioner;
import io.wabatch.common.channel.ChannelRegistry;
import io.wabatch.common.contract.JobValidator;
import io.wabatch.common.kafka.ConsumeProduceLoop;
import io.wabatch.common.service.KafkaWorker;
import io.wabatch.common.kafka.KafkaClients;
import io.wabatch.common.kafka.Outputs;
import io.wabatch.common.kafka.TopicException;
import io.wabatch.common.kafka.TopicNames;
import io.wabatch.common.kafka.Topics;
import io.wabatch.upload.config.UploadWorkerConfig;
import io.wabatch.upload.media.LinkGuard;
import io.wabatch.upload.media.MediaFetcher;
import io.wabatch.upload.media.MediaResolver;
import io.wabatch.upload.media.SpoolBudget;
import io.wabatch.upload.media.UploadMetrics;
import io.wabatch.upload.cache.MediaCache;
import io.wabatch.upload.cache.MediaCacheLoader;
import io.wabatch.upload.template.CatalogueRefresh;
import io.wabatch.upload.template.UploadTemplates;
import io.wabatch.common.template.TemplateCatalogue;
import io.wabatch.common.pace.RatePacer;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.producer.KafkaProducer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running upload worker: consumes {@code wa.jobs}, uploads link media, produces ready jobs to
 * {@code wa.jobs.ready} (on each channel's partition), results and dead letters, in Kafka transactions
 * with its offsets ({@code transactional.id}), so a crash never fans a job out twice for consumers that
 * read committed. Media-cache entries go through a producer of their own, outside the transactions.
 * Embeddable (the demo and tests run it in-process) and the body of {@link UploadWorkerMain}.
 */
public final class UploadWorker extends KafkaWorker {

    private static final Logger LOG = LoggerFactory.getLogger(UploadWorker.class);

    private final UploadMetrics metrics;
    private final UploadTemplates templates;

    private UploadWorker(UploadWorkerConfig config, ChannelRegistry registry, MeterRegistry meters) {
        super("upload worker", config, meters);
        Vertx vertx = vertx();
        TopicNames topics = config.topics();
        String clientId = "wabatch-upload-" + UUID.randomUUID().toString().substring(0, 8);
        // The loop's output runs in transactions, and only the loop's thread may use a transactional producer.
        KafkaProducer<byte[], byte[]> producer = KafkaClients.transactionalProducer(config, clientId,
                config.transactionalId(), new HashMap<>(ChannelPartitioner.configFor(registry,
                        List.of(topics.ready(), topics.results()))));
        // Cache entries are written from the event loop, outside the transactions (an upload that happened is
        // worth remembering even if its job is replayed), so with a producer of their own.
        // Template listings are written the same way, by the same producer.
        KafkaProducer<byte[], byte[]> cacheProducer = KafkaClients.producer(config, clientId + "-cache", Map.of());
        cacheProducer.partitionsFor(topics.mediaCache()); // metadata fetched here, never on the event loop
        cacheProducer.partitionsFor(topics.templates());
        Clock clock = Clock.systemUTC();
        MediaCache cache = new MediaCache(topics.mediaCache(), config.mediaCacheMaxEntries(), clock,
                cacheProducer::send);
        MediaCacheLoader.restore(KafkaClients.adminProperties(config), topics.mediaCache(), cache,
                config.cacheRestoreTimeout());
        WebClient api = WhatsAppClients.webClient(vertx, config.clientOptions(config.uploadTimeout()));
        closeAlso(api::close);
        Map<String, WhatsAppClient> clients = new HashMap<>();
        Map<String, RatePacer.Rate> uploadRates = new HashMap<>();
        for (Channel channel : registry.all()) {
            clients.put(channel.id(), WhatsAppClients.create(api, channel.endpoint(),
                    config.clientOptions(config.uploadTimeout())));
            uploadRates.put(channel.id(), new RatePacer.Rate(channel.uploadRate(), 1));
        }
        HttpClient media = vertx.createHttpClient(new HttpClientOptions().setMetricsName("media-origin")
                        .setConnectTimeout((int) config.httpConnectTimeout().toMillis()).setKeepAlive(true),
                new PoolOptions().setHttp1MaxSize(64));
        closeAlso(media::close);
        SpoolBudget budget = new SpoolBudget(config.spoolMaxBytes());
        MediaFetcher fetcher = new MediaFetcher(vertx, media, new LinkGuard(config.mediaAllow()), config.spoolDir(),
                budget, config.fetchOptions());
        metrics = new UploadMetrics(meters);
        Context context = vertx.getOrCreateContext();
        templates = UploadTemplates.create(new UploadTemplates.Wiring(vertx, context, registry, clients::get,
                        cacheProducer::send, clock), KafkaClients.adminProperties(config), topics.templates(),
                config.templateTimes(), metrics::templateSync, metrics::templateCheck);
        closeAlso(templates::close);
        runsAlongside(templates.follower().terminated());
        closeAlso(() -> cacheProducer.close(Duration.ofSeconds(10)));
        MediaResolver resolver = new MediaResolver(vertx, fetcher, cache, new RatePacer(vertx, uploadRates),
                clients::get, metrics, clock, config.idUsableFor());
        UploadJobHandler handler = new UploadJobHandler(new JobValidator(registry.ids()), templates.gate(), resolver,
                metrics, new Outputs(topics, "upload", meters), topics.ready(), clock);
        KafkaConsumer<byte[], byte[]> consumer = KafkaClients.consumer(config, clientId,
                Map.of(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, config.maxPollRecords()));
        consumeWith(producer, consumer, new ConsumeProduceLoop("upload-worker", consumer, producer,
                List.of(topics.jobs()), context, handler, config.loopOptions().withTransactions(true)));
        ownsMeters(metrics.gauges(budget::used, this::inFlight));
    }

    /**
     * Checks the topics, prepares the spool directory and starts consuming, registering meters in
     * {@code meters} (a process passes its Prometheus registry, a test may pass a simple one).
     *
     * @throws TopicException when the topics are missing or misconfigured (nothing is started)
     */
    public static UploadWorker start(UploadWorkerConfig config, ChannelRegistry registry, MeterRegistry meters)
            throws TopicException {
        if (config.checkTopics()) {
            checkTopics(config, registry);
        }
        prepareSpool(config.spoolDir());
        List<String> listed = scheduledAccounts(config, registry);
        UploadWorker worker = new UploadWorker(config, registry, meters);
        try {
            // Jobs are checked against the catalogue as the topic holds it, never against an empty one.
            worker.templates.follower().start().caughtUp().orTimeout(config.templateTimes().restoreTimeout().toMillis(),
                    TimeUnit.MILLISECONDS).join();
        } catch (RuntimeException e) {
            worker.close();
            throw new IllegalStateException("template catalogue " + config.topics().templates() + " not restored "
                    + "within " + config.templateTimes().restoreTimeout(), e);
        }
        worker.templates.refresh().schedule(listed);
        worker.startConsuming();
        LOG.info("upload worker started for channels {}", registry.ids());
        return worker;
    }

    private static void checkTopics(UploadWorkerConfig config, ChannelRegistry registry) throws TopicException {
        TopicNames names = config.topics();
        int partitions = registry.requiredPartitions();
        try (Admin admin = Admin.create(KafkaClients.adminProperties(config))) {
            Topics.check(admin, List.of(names.spec(names.jobs(), partitions), names.spec(names.ready(), partitions),
                    names.spec(names.results(), partitions), names.spec(names.dlq(), partitions),
                    names.spec(names.mediaCache(), partitions), names.spec(names.templates(), partitions)), partitions);
        }
    }

    /**
     * The accounts whose templates this worker lists on a schedule ({@code templates.accounts}).
     *
     * @throws ConfigException when an account has no channel with that {@code waba_id} in the registry
     */
    static List<String> scheduledAccounts(UploadWorkerConfig config, ChannelRegistry registry) {
        Set<String> known = new TreeSet<>();
        registry.all().stream().map(Channel::wabaId).filter(Objects::nonNull).forEach(known::add);
        List<String> accounts = config.templateAccounts();
        if (accounts.contains(UploadWorkerConfig.ALL_ACCOUNTS)) {
            return List.copyOf(known);
        }
        for (String account : accounts) {
            if (!known.contains(account)) {
                throw new ConfigException(UploadWorkerConfig.TEMPLATES_ACCOUNTS, String.join(",", accounts),
                        "account " + account + " is the waba_id of no channel in the registry (known: "
                                + (known.isEmpty() ? "none" : String.join(", ", known)) + "), so its templates "
                                + "cannot be listed; give its channel a waba_id, or use * for every account");
            }
        }
        return accounts.stream().distinct().toList();
    }

    /** The template catalogue as this worker holds it. */
    public TemplateCatalogue templates() {
        return templates.catalogue();
    }

    /**
     * Lists accounts' templates again on demand: the hook for template webhooks
     * ({@code message_template_status_update}, issue 19).
     */
    public CatalogueRefresh templateRefresh() {
        return templates.refresh();
    }

    /** Creates the spool directory and deletes files a crashed run left behind. */
    static void prepareSpool(Path dir) {
        try {
            Files.createDirectories(dir);
            try (Stream<Path> leftovers = Files.list(dir)) {
                for (Path file : leftovers.filter(p -> p.getFileName().toString().endsWith(".part")).toList()) {
                    Files.deleteIfExists(file);
                    LOG.info("deleted left-over spool file {}", file.getFileName());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare spool directory " + dir, e);
        }
    }

    /** Uploads performed since start. */
    public long uploads() {
        return metrics.uploads();
    }
}
