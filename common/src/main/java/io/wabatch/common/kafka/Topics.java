package io.wabatch.common.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;

/**
 * Creates wabatch's topics with the right cleanup policy and partition counts, and checks at
 * start-up that the topics a worker uses are as they must be (DESIGN §1). Broker auto-creation
 * would silently make a compacted topic a 7-day delete topic, so workers fail fast instead.
 */
public final class Topics {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private Topics() {
    }

    /**
     * Creates the missing topics of {@code specs}; existing ones are left as they are (and checked
     * by {@link #check}). Waits until every partition of a new topic answers ListOffsets, since
     * producing right after creation can lose records with the idempotent producer.
     *
     * @return the names of the topics created
     */
    public static List<String> create(Admin admin, Collection<TopicSpec> specs, short replicationFactor)
            throws TopicException {
        try {
            Set<String> existing = admin.listTopics().names().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            List<NewTopic> missing = new ArrayList<>();
            for (TopicSpec spec : specs) {
                if (!existing.contains(spec.name())) {
                    missing.add(new NewTopic(spec.name(), spec.partitions(), replicationFactor)
                            .configs(spec.configs()));
                }
            }
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                awaitReady(admin, missing.stream().map(NewTopic::name).toList());
            }
            return missing.stream().map(NewTopic::name).toList();
        } catch (ExecutionException | TimeoutException e) {
            throw new TopicException(List.of("cannot create topics: " + rootMessage(e)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TopicException(List.of("interrupted while creating topics"));
        }
    }

    /**
     * Checks that every topic of {@code specs} exists with its cleanup policy and message size, that the
     * channel-partitioned ones have equal partition counts, and that those counts cover
     * {@code requiredPartitions} (the channel registry's highest partition + 1).
     *
     * @throws TopicException listing every problem, with the command that fixes it
     */
    public static void check(Admin admin, Collection<TopicSpec> specs, int requiredPartitions) throws TopicException {
        try {
            Map<String, TopicDescription> described = describe(admin, specs);
            List<String> problems = new ArrayList<>();
            specs.stream().filter(s -> !described.containsKey(s.name())).forEach(s -> problems.add(
                    "topic " + s.name() + " does not exist; create the topics with 'wabatch topics create'"));
            checkConfigs(admin, specs, described, problems);
            checkPartitions(specs, described, requiredPartitions, problems);
            if (!problems.isEmpty()) {
                throw new TopicException(problems);
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new TopicException(List.of("cannot describe topics: " + rootMessage(e)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TopicException(List.of("interrupted while checking topics"));
        }
    }

    private static Map<String, TopicDescription> describe(Admin admin, Collection<TopicSpec> specs)
            throws ExecutionException, InterruptedException, TimeoutException {
        Set<String> existing = admin.listTopics().names().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        List<String> names = specs.stream().map(TopicSpec::name).filter(existing::contains).distinct().toList();
        return names.isEmpty() ? Map.of()
                : admin.describeTopics(names).allTopicNames().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static void checkConfigs(Admin admin, Collection<TopicSpec> specs, Map<String, TopicDescription> described,
                                     List<String> problems) throws ExecutionException, InterruptedException, TimeoutException {
        List<ConfigResource> resources = described.keySet().stream()
                .map(name -> new ConfigResource(ConfigResource.Type.TOPIC, name)).toList();
        if (resources.isEmpty()) {
            return;
        }
        Map<ConfigResource, Config> configs = admin.describeConfigs(resources).all()
                .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        for (TopicSpec spec : specs) {
            Config config = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, spec.name()));
            String policy = config == null ? null : config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value();
            if (config != null && !spec.cleanup().configValue().equals(policy)) {
                problems.add("topic " + spec.name() + " has cleanup.policy=" + policy + " but wabatch needs "
                        + spec.cleanup().configValue() + "; recreate it or run kafka-configs --alter --add-config cleanup.policy="
                        + spec.cleanup().configValue());
            }
            var maxBytesEntry = config == null || spec.maxMessageBytes() == 0 ? null
                    : config.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
            // a Kafka-compatible broker that does not report it: nothing to check
            String maxBytes = maxBytesEntry == null ? null : maxBytesEntry.value();
            if (maxBytes != null && !maxBytes.equals(Integer.toString(spec.maxMessageBytes()))) {
                problems.add("topic " + spec.name() + " has max.message.bytes=" + maxBytes + " but wabatch needs "
                        + spec.maxMessageBytes() + " (every job the jobs topic accepts must fit the dead-letter topic "
                        + "with its error headers); run kafka-configs --alter --entity-type topics --entity-name "
                        + spec.name() + " --add-config max.message.bytes=" + spec.maxMessageBytes());
            }
        }
    }

    private static void checkPartitions(Collection<TopicSpec> specs, Map<String, TopicDescription> described,
                                        int requiredPartitions, List<String> problems) {
        Map<String, Integer> counts = new java.util.TreeMap<>();
        specs.stream().filter(TopicSpec::channelPartitioned).filter(s -> described.containsKey(s.name()))
                .forEach(s -> counts.put(s.name(), described.get(s.name()).partitions().size()));
        if (counts.values().stream().distinct().count() > 1) {
            problems.add("co-partitioned topics must have equal partition counts, found " + counts);
        }
        counts.forEach((name, count) -> {
            if (count < requiredPartitions) {
                problems.add("topic " + name + " has " + count + " partitions but the channel registry needs "
                        + requiredPartitions + " (one per channel, up to the highest channel partition)");
            }
        });
    }

    /** Waits until ListOffsets answers for every partition of the topics (bounded). */
    public static void awaitReady(Admin admin, Collection<String> topics)
            throws ExecutionException, InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            try {
                // Right after creation the broker may not know a topic yet: describing it fails too.
                Map<String, TopicDescription> described = admin.describeTopics(topics).allTopicNames()
                        .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                Map<TopicPartition, OffsetSpec> request = new HashMap<>();
                described.values().forEach(d -> d.partitions().forEach(p ->
                        request.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest())));
                admin.listOffsets(request).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                return;
            } catch (ExecutionException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                TimeUnit.MILLISECONDS.sleep(50);
            }
        }
    }

    static String rootMessage(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }
}
