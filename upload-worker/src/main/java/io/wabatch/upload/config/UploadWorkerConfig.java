package io.wabatch.upload.config;

import io.wabatch.common.config.WorkerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;

/** The upload worker's configuration: the shared keys plus media fetching and spooling. */
public final class UploadWorkerConfig extends WorkerConfig {

    public static final String MEDIA_ALLOW = "media.allow";
    public static final String MEDIA_MAX_REDIRECTS = "media.max.redirects";
    public static final String MEDIA_DOWNLOAD_TIMEOUT_MS = "media.download.timeout.ms";
    public static final String MEDIA_UPLOAD_TIMEOUT_MS = "media.upload.timeout.ms";
    public static final String MEDIA_CACHE_MAX_ENTRIES = "media.cache.max.entries";
    public static final String SPOOL_DIR = "spool.dir";
    public static final String MAX_POLL_RECORDS = "max.poll.records";

    /** The definition, also rendered into the configuration reference. */
    public static final ConfigDef DEFINITION = common("wabatch-upload")
            .define(MEDIA_ALLOW, Type.LIST, List.of(), Importance.MEDIUM,
                    "Hosts or CIDR ranges that media links may point to although they are private, loopback or "
                            + "link-local (e.g. 127.0.0.0/8 for a local origin). Everything else on such addresses "
                            + "is refused, checked on every redirect.")
            .define(MEDIA_MAX_REDIRECTS, Type.INT, 5, Range.between(0, 20), Importance.LOW,
                    "Redirects followed when downloading a media link; more is an error.")
            .define(MEDIA_DOWNLOAD_TIMEOUT_MS, Type.LONG, 120_000L, Range.atLeast(1), Importance.MEDIUM,
                    "Deadline for downloading one media file, in milliseconds.")
            .define(MEDIA_UPLOAD_TIMEOUT_MS, Type.LONG, 600_000L, Range.atLeast(1), Importance.MEDIUM,
                    "Deadline for uploading one media file to /media, in milliseconds.")
            .define(MEDIA_CACHE_MAX_ENTRIES, Type.INT, 10_000, Range.atLeast(1), Importance.LOW,
                    "Most media ids kept in the in-memory cache (channel, campaign, link).")
            .define(SPOOL_DIR, Type.STRING, Path.of(System.getProperty("java.io.tmpdir"), "wabatch-spool").toString(),
                    Importance.MEDIUM, "Directory where media are downloaded before upload; files are deleted "
                            + "after use and left-overs at start-up.")
            .define(MAX_POLL_RECORDS, Type.INT, 20, Range.between(1, 10_000), Importance.LOW,
                    "Campaign jobs fetched per poll. Each may fan out to 1,000 ready jobs held until produced.");

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
        return Path.of(getString(SPOOL_DIR));
    }

    public int maxPollRecords() {
        return getInt(MAX_POLL_RECORDS);
    }
}
