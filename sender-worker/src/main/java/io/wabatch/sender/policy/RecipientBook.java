package io.wabatch.sender.policy;

import io.wabatch.common.kafka.TopicFollower;
import io.wabatch.common.contract.Identity;
import io.wabatch.common.contract.InboundMessage;
import io.wabatch.common.contract.OptOut;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every sender knows about customers, from Kafka, without a consumer group (each instance reads
 * everything): who opted out (the compacted {@code wa.optouts}, from its beginning), which phone
 * number is behind which business-scoped user ID (the compacted {@code wa.identities}, from its
 * beginning: an opt-out under either address covers the person), and when each customer last wrote
 * (the {@code wa.inbound} messages of the last service window, which opens the 24-hour window for
 * non-template messages). Runs on its own thread; {@link #caughtUp()} completes
 * once both topics' ends at start have been read.
 */
public final class RecipientBook implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RecipientBook.class);
    /** How many BSUID changes in a row the book follows to the person. */
    private static final int MAX_HOPS = 8;

    private final TopicFollower follower;
    private final String optOutTopic;
    private final String inboundTopic;
    private final String identityTopic;
    private final Duration window;
    private final Clock clock;
    private final Map<String, Boolean> optedOut = new ConcurrentHashMap<>();
    private final Map<String, Instant> lastInbound = new ConcurrentHashMap<>();
    /** BSUID → phone, and phone → its BSUIDs (one per business portfolio). */
    private final Map<String, String> phoneOf = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> userIdsOf = new ConcurrentHashMap<>();
    private long pruned = System.nanoTime();
    private volatile java.util.function.BiConsumer<String, Instant> inboundListener = (number, at) -> { };

    /** @param identityTopic the compacted identity topic, or null to know each address alone */
    public RecipientBook(Map<String, Object> clientProperties, String optOutTopic, String inboundTopic,
                         String identityTopic, Duration window, Clock clock) {
        this.optOutTopic = optOutTopic;
        this.inboundTopic = inboundTopic;
        this.identityTopic = identityTopic;
        this.window = window;
        this.clock = clock;
        TopicFollower.Builder follow = TopicFollower.named("recipient-book", clientProperties).fromBeginning(optOutTopic);
        if (identityTopic != null) {
            follow.fromBeginning(identityTopic);
        }
        this.follower = follow.since(inboundTopic, () -> clock.instant().minus(window))
                .onRecord(this::apply)
                .afterPoll(this::prune)
                .onCaughtUp(() -> LOG.info("recipient book: {} opted out, {} customers wrote within {}, {} "
                        + "business-scoped user IDs known with their number", optedOut.size(), lastInbound.size(),
                        window, phoneOf.size()))
                .build();
    }

    /**
     * Told, on the book's thread, of every customer's message read from {@code wa.inbound} (system messages are not
     * a customer's writing): the business phone number id it was sent to, and when the webhook receiver took it
     * (else when the API says it was sent). Set it before {@link #start}.
     */
    public RecipientBook onInbound(java.util.function.BiConsumer<String, Instant> listener) {
        this.inboundListener = listener;
        return this;
    }

    public RecipientBook start() {
        follower.start();
        return this;
    }

    public CompletableFuture<Void> caughtUp() {
        return follower.caughtUp();
    }

    /**
     * True when the customer opted out of marketing messages, under this address (a number or a
     * business-scoped user ID) or another of the same person's.
     */
    public boolean optedOut(String recipient) {
        return optedOut.containsKey(recipient) || addresses(recipient).stream().anyMatch(optedOut::containsKey);
    }

    /**
     * One name for the person behind an address: the phone number when the address is a business-scoped
     * user ID whose number is known, else the address itself. Budgets count people under it.
     */
    public String person(String address) {
        String person = address;
        // A BSUID may lead to the person's previous BSUID (a change that shared no number), and that to the number.
        for (int hop = 0; hop < MAX_HOPS; hop++) {
            String next = phoneOf.get(person);
            if (next == null || next.equals(person)) {
                break;
            }
            person = next;
        }
        return person;
    }

    /**
     * When the customer last wrote to the business number {@code numberId} (their window is per number),
     * or, when the number's id is not known (a 360dialog channel without {@code phone_number_id} in the
     * registry), to any number; null when not within the window read. The customer is the person behind
     * {@code address}: a message they wrote under their number opens the window for their BSUID and the
     * other way round.
     */
    public Instant lastInbound(String numberId, String address) {
        Instant last = null;
        for (String known : addresses(address)) {
            Instant wrote = lastInbound.get(numberId == null ? known : numberId + "/" + known);
            if (wrote != null && (last == null || wrote.isAfter(last))) {
                last = wrote;
            }
        }
        return last;
    }

    /**
     * Every address of the person behind {@code address}: their number, if known, and every BSUID linked to
     * it, directly or through earlier BSUIDs (a walk over both directions of the identity links, bounded).
     */
    private Set<String> addresses(String address) {
        if (!phoneOf.containsKey(address) && !userIdsOf.containsKey(address)) {
            return Set.of(address);
        }
        Set<String> all = new java.util.HashSet<>();
        java.util.ArrayDeque<String> next = new java.util.ArrayDeque<>(List.of(address));
        while (!next.isEmpty() && all.size() < 4 * MAX_HOPS) {
            String at = next.poll();
            if (!all.add(at)) {
                continue;
            }
            String linked = phoneOf.get(at);
            if (linked != null) {
                next.add(linked);
            }
            next.addAll(userIdsOf.getOrDefault(at, Set.of()));
        }
        return all;
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    /** Completes exceptionally when the book stopped following its topics (the sender then stops too). */
    public CompletableFuture<Void> terminated() {
        return follower.terminated();
    }

    /** Forgets, once a minute, customers whose last message left the window. */
    private void prune() {
        if (System.nanoTime() - pruned > 60_000_000_000L) {
            Instant cutoff = clock.instant().minus(window);
            lastInbound.values().removeIf(at -> at.isBefore(cutoff));
            pruned = System.nanoTime();
        }
    }

    private void apply(ConsumerRecord<byte[], byte[]> record) {
        try {
            if (record.topic().equals(optOutTopic)) {
                String phone = new String(record.key(), StandardCharsets.UTF_8);
                if (record.value() == null) {
                    optedOut.remove(phone);
                } else {
                    OptOut.decode(record.value());
                    optedOut.put(phone, Boolean.TRUE);
                }
            } else if (record.topic().equals(identityTopic)) {
                if (record.value() != null) {
                    Identity identity = Identity.decode(record.value());
                    String before = phoneOf.put(identity.userId(), identity.phone());
                    if (before != null && !before.equals(identity.phone())) {
                        userIdsOf.computeIfPresent(before, (p, ids) -> {
                            ids.remove(identity.userId());
                            return ids.isEmpty() ? null : ids;
                        });
                    }
                    userIdsOf.computeIfAbsent(identity.phone(), p -> ConcurrentHashMap.newKeySet()).add(identity.userId());
                }
            } else {
                InboundMessage message = InboundMessage.decode(record.value());
                if (InboundMessage.SYSTEM.equals(message.type())) {
                    return; // the platform's notice of a changed number or BSUID: the customer did not write
                }
                inboundListener.accept(message.phoneNumberId(),
                        message.receivedAt() != null ? message.receivedAt() : message.timestamp());
                Instant at = message.timestamp() != null ? message.timestamp() : message.receivedAt();
                for (String address : new String[] {message.from(), message.fromUserId()}) {
                    if (address != null && at != null) {
                        lastInbound.merge(address, at, RecipientBook::later);
                        if (message.phoneNumberId() != null) {
                            lastInbound.merge(message.phoneNumberId() + "/" + address, at, RecipientBook::later);
                        }
                    }
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            LOG.warn("recipient book: skipping an unreadable record of {}: {}", record.topic(), e.getMessage());
        }
    }

    @Override
    public void close() {
        follower.close();
    }
}
