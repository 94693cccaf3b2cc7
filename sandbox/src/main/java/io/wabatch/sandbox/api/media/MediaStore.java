package io.wabatch.sandbox.api.media;

import io.wabatch.sandbox.api.rules.MediaLookup;
import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every upload the sandbox accepted, per number, with its expiry. Thread-safe. Media IDs are
 * 16-digit numbers from a random start, so IDs of an earlier sandbox run (kept in a worker's media
 * cache) do not silently name a different file in this one.
 */
public final class MediaStore {

    private final Map<String, StoredMedia> byId = new ConcurrentHashMap<>();
    private final AtomicLong nextId =
            new AtomicLong(1_000_000_000_000_000L + ThreadLocalRandom.current().nextLong(8_000_000_000_000_000L));
    private final Duration ttl;

    /** A store whose media live {@code ttl} from upload. */
    public MediaStore(Duration ttl) {
        this.ttl = ttl;
    }

    /** Records an upload and returns it with its new ID. */
    public StoredMedia add(String number, String mime, long size, String sha256, String filename) {
        long now = System.currentTimeMillis();
        StoredMedia media = new StoredMedia(String.valueOf(nextId.getAndIncrement()), number, mime, size, sha256,
                filename, now, now + ttl.toMillis(), false);
        byId.put(media.id(), media);
        return media;
    }

    /** The media {@code id} if it is live now and belongs to one of {@code numbers}. */
    public Optional<StoredMedia> live(String id, Collection<String> numbers) {
        StoredMedia media = byId.get(id);
        long now = System.currentTimeMillis();
        return media != null && media.liveAt(now) && numbers.contains(media.number())
                ? Optional.of(media) : Optional.empty();
    }

    /** Marks {@code id} deleted if it is live and belongs to one of {@code numbers}; true if it did. */
    public boolean delete(String id, Collection<String> numbers) {
        return live(id, numbers).map(m -> byId.replace(id, m, m.asDeleted())).orElse(false);
    }

    /** The rules' view of {@code number}'s live media. */
    public MediaLookup lookupFor(String number) {
        List<String> numbers = List.of(number);
        return id -> live(id, numbers).map(StoredMedia::mime);
    }

    /** Every upload since the last reset, deleted and expired ones included, oldest first. */
    public List<StoredMedia> all() {
        return byId.values().stream()
                .sorted(Comparator.comparingLong(StoredMedia::uploadedAtMs).thenComparing(StoredMedia::id))
                .toList();
    }

    /** Forgets every upload (IDs keep counting up). */
    public void clear() {
        byId.clear();
    }
}
