package io.wabatch.upload.config;

import io.wabatch.common.config.LoopWorkerConfig;
import io.wabatch.common.config.ServicePorts;
import io.wabatch.common.config.TopicKey;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;

/** The upload worker's configuration: a loop worker's keys, its topics, and media fetching and spooling. */
public final class UploadWorkerConfig extends LoopWorkerConfig {

    public static final String MEDIA_ALLOW = "media.allow";
    public static final String MEDIA_MAX_REDIRECTS = "media.max.redirects";
    public static final String MEDIA_DOWNLOAD_TIMEOUT_MS = "media.download.timeout.ms";
    public static final String MEDIA_UPLOAD_TIMEOUT_MS = "media.upload.timeout.ms";
    public static final String MEDIA_CACHE_MAX_ENTRIES = "media.cache.max.entries";
    public static final String SPOOL_DIR = "spool.dir";
    public static final String SPOOL_MAX_BYTES = "spool.max.bytes";
    public static final String MEDIA_READ_TIMEOUT_MS = "media.read.timeout.ms";
    public static final String MEDIA_MIN_THROUGHPUT = "media.min.throughput.bytes.per.second";
    public static final String MEDIA_THROUGHPUT_WINDOW_MS = "media.throughput.window.ms";
    public static final String MEDIA_FETCH_MAX_ATTEMPTS = "media.fetch.max.attempts";
    public static final String MEDIA_FETCH_RETRY_INITIAL_MS = "media.fetch.retry.initial.ms";
    public static final String MEDIA_ID_LIFETIME_MS = "media.id.lifetime.ms";
    public static final String MEDIA_ID_MARGIN_MS = "media.id.margin.ms";
    public static final String MEDIA_CACHE_RESTORE_TIMEOUT_MS = "media.cache.restore.timeout.ms";
    public static final String MAX_POLL_RECORDS = "max.poll.records";
    public static final String TEMPLATES_ACCOUNTS = "templates.accounts";
    public static final String TEMPLATES_SYNC_INTERVAL_MS = "templates.sync.interval.ms";
    public static final String TEMPLATES_REFRESH_MIN_INTERVAL_MS = "templates.refresh.min.interval.ms";
    public static final String TEMPLATES_STALE_AFTER_MS = "templates.stale.after.ms";
    public static final String TEMPLATES_RESTORE_TIMEOUT_MS = "templates.restore.timeout.ms";
    /** The {@value #TEMPLATES_ACCOUNTS} value meaning every account of the channel registry. */
    public static final String ALL_ACCOUNTS = "*";

    /** The definition, also rendered into the configuration reference. */
    public static final ConfigDef DEFINITION = withTopics(withTransactionalId(loopWorker("wabatch-upload", ServicePorts.UPLOAD, 256,
            "A 100 MB upload holds one slot while small jobs flow past it.")),
            TopicKey.JOBS, TopicKey.READY, TopicKey.RESULTS, TopicKey.DLQ, TopicKey.MEDIA_CACHE, TopicKey.TEMPLATES)
            .define(MEDIA_ALLOW, Type.LIST, List.of(), Importance.MEDIUM,
                    "Hosts or CIDR ranges that media links may point to although they are private, loopback or "
                            + "link-local (e.g. 127.0.0.0/8 for a local origin). Everything else on such addresses "
                            + "is refused, checked on every redirect.")
            .define(MEDIA_MAX_REDIRECTS, Type.INT, 5, Range.between(0, 20), Importance.LOW,
                    "Redirects followed when downloading a media link; more is an error.")
            .define(MEDIA_DOWNLOAD_TIMEOUT_MS, Type.LONG, 600_000L, Range.atLeast(1), Importance.MEDIUM,
                    "Deadline for one download attempt of a media file, redirects included, in milliseconds.")
            .define(MEDIA_UPLOAD_TIMEOUT_MS, Type.LONG, 600_000L, Range.atLeast(1), Importance.MEDIUM,
                    "Longest silence while uploading one media file to /media (idle timeout), in milliseconds.")
            .define(MEDIA_CACHE_MAX_ENTRIES, Type.INT, 100_000, Range.atLeast(1), Importance.LOW,
                    "Most media ids kept in memory (one per channel and link); the least recently used beyond it "
                            + "are tombstoned in the media-cache topic.")
            .define(MEDIA_CACHE_RESTORE_TIMEOUT_MS, Type.LONG, 120_000L, Range.atLeast(1), Importance.LOW,
                    "How long reading the media-cache topic to its end at start-up may take, in milliseconds.")
            .define(MEDIA_READ_TIMEOUT_MS, Type.LONG, 30_000L, Range.atLeast(1), Importance.LOW,
                    "Longest silence of a media origin before the download fails (retried), in milliseconds.")
            .define(MEDIA_MIN_THROUGHPUT, Type.LONG, 16_384L, Range.atLeast(0), Importance.LOW,
                    "Slowest acceptable download, in bytes per second averaged over media.throughput.window.ms, "
                            + "so a slow origin cannot hold a slot forever.")
            .define(MEDIA_THROUGHPUT_WINDOW_MS, Type.LONG, 10_000L, Range.atLeast(100), Importance.LOW,
                    "Window of the minimum-throughput check, in milliseconds.")
            .define(MEDIA_FETCH_MAX_ATTEMPTS, Type.INT, 3, Range.between(1, 20), Importance.LOW,
                    "Attempts to download a link when the origin answers 5xx, times out or breaks off; 4xx are final.")
            .define(MEDIA_FETCH_RETRY_INITIAL_MS, Type.LONG, 1_000L, Range.atLeast(1), Importance.LOW,
                    "First download retry backoff in milliseconds; doubles per attempt with jitter.")
            .define(MEDIA_ID_LIFETIME_MS, Type.LONG, 30L * 24 * 3600 * 1000, Range.atLeast(1), Importance.LOW,
                    "Lifetime of an uploaded media id in milliseconds (WhatsApp: 30 days from upload).")
            .define(MEDIA_ID_MARGIN_MS, Type.LONG, 3L * 24 * 3600 * 1000, Range.atLeast(0), Importance.LOW,
                    "Safety margin before a media id's end of life: it is uploaded again once "
                            + "lifetime − margin has passed, in milliseconds.")
            .define(SPOOL_DIR, Type.STRING, "", Importance.MEDIUM, "Directory where media are downloaded before "
                    + "upload (empty: wabatch-spool in the JVM's temporary directory); files are deleted after use "
                    + "and left-overs at start-up.")
            .define(SPOOL_MAX_BYTES, Type.LONG, 2L << 30, Range.atLeast(1), Importance.MEDIUM,
                    "Disk budget of the spool directory in bytes. Downloads wait while it is full; a file larger "
                            + "than the whole budget fails at once.")
            .define(MAX_POLL_RECORDS, Type.INT, 20, Range.between(1, 10_000), Importance.LOW,
                    "Campaign jobs fetched per poll. Each may fan out to 1,000 ready jobs held until produced.")
            .define(TEMPLATES_ACCOUNTS, Type.LIST, List.of(), Importance.MEDIUM,
                    "WhatsApp Business Account ids (the registry's waba_id) whose message templates this worker "
                            + "lists from the API every templates.sync.interval.ms into the template catalogue "
                            + "topic, or * for every account of the registry. Empty: no scheduled listing. Template "
                            + "jobs of an account are checked against the catalogue (and dead-lettered when they "
                            + "cannot succeed) once the topic holds a complete listing of it, whoever wrote it (this "
                            + "key, another instance, or 'wabatch templates sync'); other accounts' jobs pass "
                            + "unchecked. Each account is listed with the credential of its first channel (by id).")
            .define(TEMPLATES_SYNC_INTERVAL_MS, Type.LONG, 900_000L, Range.atLeast(1), Importance.LOW,
                    "How often the accounts of templates.accounts are listed again, in milliseconds; the first "
                            + "listing starts with the worker.")
            .define(TEMPLATES_REFRESH_MIN_INTERVAL_MS, Type.LONG, 60_000L, Range.atLeast(0), Importance.LOW,
                    "A template job that fails its check lists its account again before it is dead-lettered, "
                            + "unless the account was listed less than this many milliseconds ago: a template "
                            + "created, approved or edited since the last listing is not refused for it.")
            .define(TEMPLATES_STALE_AFTER_MS, Type.LONG, 86_400_000L, Range.atLeast(1), Importance.LOW,
                    "An account whose last complete listing is older than this, in milliseconds, is not "
                            + "checked (its jobs pass unchecked and are counted so), so a catalogue whose listing "
                            + "keeps failing never refuses jobs on old knowledge.")
            .define(TEMPLATES_RESTORE_TIMEOUT_MS, Type.LONG, 120_000L, Range.atLeast(1), Importance.LOW,
                    "How long reading the template catalogue topic to its end at start-up may take, in "
                            + "milliseconds.");

    public UploadWorkerConfig(Map<String, ?> values) {
        super(DEFINITION, values);
    }

    public List<String> mediaAllow() {
        return getList(MEDIA_ALLOW);
    }

    public int maxRedirects() {
        return getInt(MEDIA_MAX_REDIRECTS);
    }

    public Duration downloadTimeout() {
        return Duration.ofMillis(getLong(MEDIA_DOWNLOAD_TIMEOUT_MS));
    }

    public Duration uploadTimeout() {
        return Duration.ofMillis(getLong(MEDIA_UPLOAD_TIMEOUT_MS));
    }

    public int mediaCacheMaxEntries() {
        return getInt(MEDIA_CACHE_MAX_ENTRIES);
    }

    public Path spoolDir() {
        String dir = getString(SPOOL_DIR);
        return dir.isBlank() ? Path.of(System.getProperty("java.io.tmpdir"), "wabatch-spool") : Path.of(dir);
    }

    public long spoolMaxBytes() {
        return getLong(SPOOL_MAX_BYTES);
    }

    public Duration cacheRestoreTimeout() {
        return Duration.ofMillis(getLong(MEDIA_CACHE_RESTORE_TIMEOUT_MS));
    }

    /** Media ids are re-uploaded once this has passed since their upload. */
    public Duration idUsableFor() {
        return Duration.ofMillis(Math.max(1, getLong(MEDIA_ID_LIFETIME_MS) - getLong(MEDIA_ID_MARGIN_MS)));
    }

    public io.wabatch.upload.media.FetchOptions fetchOptions() {
        return new io.wabatch.upload.media.FetchOptions(maxRedirects(), downloadTimeout(),
                Duration.ofMillis(getLong(MEDIA_READ_TIMEOUT_MS)), getLong(MEDIA_MIN_THROUGHPUT),
                Duration.ofMillis(getLong(MEDIA_THROUGHPUT_WINDOW_MS)), getInt(MEDIA_FETCH_MAX_ATTEMPTS),
                Duration.ofMillis(getLong(MEDIA_FETCH_RETRY_INITIAL_MS)));
    }

    public int maxPollRecords() {
        return getInt(MAX_POLL_RECORDS);
    }

    /** The accounts listed on a schedule: ids, or {@link #ALL_ACCOUNTS}; empty for none. */
    public List<String> templateAccounts() {
        return getList(TEMPLATES_ACCOUNTS).stream().map(String::strip).filter(a -> !a.isEmpty()).toList();
    }

    /** The template catalogue's times: listing interval, minimum time between listings, staleness, restore. */
    public io.wabatch.upload.template.TemplateTimes templateTimes() {
        return new io.wabatch.upload.template.TemplateTimes(Duration.ofMillis(getLong(TEMPLATES_SYNC_INTERVAL_MS)),
                Duration.ofMillis(getLong(TEMPLATES_REFRESH_MIN_INTERVAL_MS)),
                Duration.ofMillis(getLong(TEMPLATES_STALE_AFTER_MS)),
                Duration.ofMillis(getLong(TEMPLATES_RESTORE_TIMEOUT_MS)));
    }
}
