package io.wabatch.funnel;

import io.wabatch.common.config.ServicePorts;
import io.wabatch.common.config.TopicKey;
import io.wabatch.common.config.WorkerConfig;
import java.nio.file.Path;
import java.time.Duration;
import io.wabatch.funnel.cost.RateCard;
import io.wabatch.funnel.cost.RateCardException;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;

/** The funnel aggregator's configuration: the Kafka and ops keys ({@code group.id} is the Streams application id), its topics, and its own. */
public final class FunnelConfig extends WorkerConfig {

    public static final String STATE_DIR = "funnel.state.dir";
    public static final String AUTOPAUSE_RATIO = "funnel.autopause.failure.ratio";
    public static final String AUTOPAUSE_MIN = "funnel.autopause.min.finished";
    public static final String STREAMS_COMMIT_MS = "funnel.commit.interval.ms";
    public static final String ENGAGEMENT_DELAY_MS = "funnel.engagement.delay.ms";
    public static final String OPTOUT_KEYWORDS = "funnel.optout.keywords";
    public static final String OPTIN_KEYWORDS = "funnel.optin.keywords";
    public static final String RATE_CARD = "funnel.rate.card";

    /** The definition, also rendered into the configuration reference. */
    public static final ConfigDef DEFINITION = withTopics(withGroup(base(ServicePorts.FUNNEL), "wabatch-funnel"), TopicKey.JOBS, TopicKey.READY,
            TopicKey.RESULTS, TopicKey.STATUS, TopicKey.INBOUND, TopicKey.CONTROL, TopicKey.FUNNEL, TopicKey.OPTOUTS,
            TopicKey.IDENTITIES, TopicKey.PLATFORM_EVENTS)
            // Not under the OS temp directory, which the OS may clear (Kafka Streams warns about it).
            .define(STATE_DIR, Type.STRING, "~/.wabatch/funnel",
                    new ConfigDef.NonEmptyString(), Importance.MEDIUM,
                    "Directory of the Kafka Streams state stores (each job's state, each campaign's counts); a leading "
                            + "~ is the user's home. Lost "
                            + "state is rebuilt from the changelog topics; a persistent volume only makes restarts faster.")
            .define(AUTOPAUSE_RATIO, Type.DOUBLE, 0.2, Range.between(0.0, 1.0), Importance.MEDIUM,
                    "Auto-pause a campaign when its failed jobs exceed this share of the jobs whose fate is known (failed or "
                            + "delivered; 1.0: never). "
                            + "Any failure with 132015 or 132016 (template paused or disabled) pauses it at once. An "
                            + "operator's resume is not overridden.")
            .define(AUTOPAUSE_MIN, Type.LONG, 50L, Range.atLeast(1), Importance.LOW,
                    "Jobs with a known fate (failed or delivered) a campaign needs before its failure ratio can pause it.")
            .define(ENGAGEMENT_DELAY_MS, Type.LONG, 86_400_000L, Range.atLeast(0), Importance.LOW,
                    "A message that failed with 131049 (held back to keep ecosystem engagement healthy) is sent again "
                            + "once, with the next generation, not before this many milliseconds later (24 h).")
            .define(OPTOUT_KEYWORDS, Type.LIST, "STOP,STOPP,UNSUBSCRIBE,ARRET,BAJA,PARAR,ALTO", Importance.MEDIUM,
                    "A customer message that is one of these words (case and surrounding spaces ignored) opts them out "
                            + "of marketing campaigns (wa.optouts); a 131050 status does too.")
            .define(OPTIN_KEYWORDS, Type.LIST, "START,UNSTOP", Importance.LOW,
                    "A customer message that is one of these words opts them back in.")
            .define(RATE_CARD, Type.STRING, "", Importance.LOW,
                    "Path of a rate card (YAML or JSON: one currency, prices per charged message per country calling "
                            + "code and pricing category, a default per category; format in docs/operations.md). With "
                            + "it, each campaign's funnel carries an estimated cost (charged messages × the price of the "
                            + "recipient's calling code and category), shown by 'campaign status'; read once at start, "
                            + "and a file with problems stops the funnel naming each line. Empty: charged and free "
                            + "messages are counted, no cost is estimated.")
            .define(STREAMS_COMMIT_MS, Type.LONG, 100L, Range.atLeast(1), Importance.LOW,
                    "How often the aggregator commits (exactly-once), in milliseconds: the delay before 'campaign "
                            + "status' sees an event.");

    private final RateCard rateCard;

    /** @throws ConfigException also when the rate card cannot be read, naming the key, the file and the problems */
    public FunnelConfig(Map<String, ?> values) {
        super(DEFINITION, values);
        String file = getString(RATE_CARD).strip();
        try {
            rateCard = file.isEmpty() ? null : RateCard.read(Path.of(file));
        } catch (RateCardException e) {
            throw new ConfigException(RATE_CARD, file, e.getMessage());
        }
    }

    /** The rate card that prices charged messages, if one is configured. */
    public Optional<RateCard> rateCard() {
        return Optional.ofNullable(rateCard);
    }

    public Path stateDir() {
        String dir = getString(STATE_DIR);
        return dir.equals("~") || dir.startsWith("~/")
                ? Path.of(System.getProperty("user.home")).resolve(dir.substring(Math.min(2, dir.length())))
                : Path.of(dir);
    }

    public double autoPauseRatio() {
        return getDouble(AUTOPAUSE_RATIO);
    }

    public long autoPauseMinFinished() {
        return getLong(AUTOPAUSE_MIN);
    }

    public java.util.Set<String> optOutKeywords() {
        return keywords(OPTOUT_KEYWORDS);
    }

    public java.util.Set<String> optInKeywords() {
        return keywords(OPTIN_KEYWORDS);
    }

    private java.util.Set<String> keywords(String key) {
        return getList(key).stream().map(w -> w.strip().toUpperCase(java.util.Locale.ROOT))
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
    }

    public Duration engagementDelay() {
        return Duration.ofMillis(getLong(ENGAGEMENT_DELAY_MS));
    }

    public Duration streamsCommitInterval() {
        return Duration.ofMillis(getLong(STREAMS_COMMIT_MS));
    }
}
