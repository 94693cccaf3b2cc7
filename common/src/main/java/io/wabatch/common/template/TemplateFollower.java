package io.wabatch.common.template;

import io.wabatch.common.kafka.TopicFollower;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the compacted template topic from its beginning into a {@link TemplateCatalogue}, without
 * a consumer group, so every instance holds every account. Runs on its own thread; {@link #caughtUp()}
 * completes once the topic's end at start has been applied, so a worker checks its first job against
 * the catalogue as it was then; {@link #terminated()} completes exceptionally if it stops following.
 */
public final class TemplateFollower implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TemplateFollower.class);

    private final TemplateCatalogue catalogue;
    private final TopicFollower follower;
    private long read;

    public TemplateFollower(Map<String, Object> clientProperties, String topic, TemplateCatalogue catalogue) {
        this.catalogue = catalogue;
        this.follower = TopicFollower.named("template-follower", clientProperties).fromBeginning(topic)
                .onRecord(record -> {
                    catalogue.apply(record.key(), record.value());
                    read++;
                })
                .onCaughtUp(() -> LOG.info("template catalogue restored: {} records read, {} templates of {} accounts",
                        read, catalogue.size(), catalogue.accounts().size()))
                .build();
    }

    public TemplateFollower start() {
        follower.start();
        return this;
    }

    /** Completes when everything in the topic at start has been applied. */
    public CompletableFuture<Void> caughtUp() {
        return follower.caughtUp();
    }

    /** Completes exceptionally when the follower stopped following the topic (the worker then stops too). */
    public CompletableFuture<Void> terminated() {
        return follower.terminated();
    }

    @Override
    public void close() {
        follower.close();
    }
}
