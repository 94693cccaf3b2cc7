package io.wabatch.upload.cache;

import io.wabatch.common.contract.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Media ids by (channel, link), backed by the compacted {@code wa.media-cache} topic so that every
 * instance and every restart reuses them (DESIGN §4.3). Freshness follows the origin's caching
 * headers ({@link #decide}); identical bytes share one id ({@link #byHash}); ids are never used past
 * their expiry (upload + lifetime − margin), and expired or evicted entries are tombstoned so the
 * topic stays bounded. The in-memory index is an LRU of at most {@code maxEntries}.
 *
 * <p>Confined to the upload worker's event loop after {@link MediaCacheLoader} has restored it.
 */
public final class MediaCache {

    private final Map<String, MediaCacheEntry> entries;
    private final Map<String, String> keysByHash = new HashMap<>();
    private final Consumer<ProducerRecord<byte[], byte[]>> sink;
    private final String topic;
    private final Clock clock;

    public MediaCache(String topic, int maxEntries, Clock clock, Consumer<ProducerRecord<byte[], byte[]>> sink) {
        this.topic = topic;
        this.clock = clock;
        this.sink = sink;
        this.entries = new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, MediaCacheEntry> eldest) {
                if (size() <= maxEntries) {
                    return false;
                }
                forgetHash(eldest.getValue());
                sink.accept(tombstone(eldest.getKey()));
                return true;
            }
        };
    }

    /** What to do for {@code link} on {@code channel} for a job of {@code campaignId}. */
    public CacheDecision decide(String channel, String link, String campaignId) {
        String key = LinkKeys.key(channel, link);
        MediaCacheEntry entry = entries.get(key);
        Instant now = clock.instant();
        if (entry == null) {
            return new CacheDecision.Miss();
        }
        if (!now.isBefore(entry.expiresAt())) {
            remove(key);
            return new CacheDecision.Miss();
        }
        if (entry.campaignId() != null) {
            return entry.campaignId().equals(campaignId) ? new CacheDecision.Fresh(entry) : new CacheDecision.Miss();
        }
        if (!entry.noCache() && entry.freshUntil() != null && now.isBefore(entry.freshUntil())) {
            return new CacheDecision.Fresh(entry);
        }
        boolean validators = entry.etag() != null || entry.lastModified() != null;
        return validators ? new CacheDecision.Revalidate(entry) : new CacheDecision.Miss();
    }

    /** An unexpired id uploaded for the same bytes on the same channel, if any. */
    public Optional<MediaCacheEntry> byHash(String channel, String sha256) {
        String key = keysByHash.get(channel + "/" + sha256);
        MediaCacheEntry entry = key == null ? null : entries.get(key);
        return entry != null && clock.instant().isBefore(entry.expiresAt()) ? Optional.of(entry) : Optional.empty();
    }

    /** Stores an entry and writes it to the topic. */
    public void put(MediaCacheEntry entry) {
        String key = LinkKeys.key(entry.channel(), entry.link());
        MediaCacheEntry previous = entries.put(key, entry);
        if (previous != null) {
            forgetHash(previous);
        }
        keysByHash.put(entry.channel() + "/" + entry.sha256(), key);
        sink.accept(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), Json.bytes(entry)));
    }

    /** Forgets a link and tombstones it. */
    public void evict(String channel, String link) {
        remove(LinkKeys.key(channel, link));
    }

    /**
     * Forgets a media id the API reported unknown or expired: {@code link}'s entry if it still holds
     * {@code mediaId}, and the entry that identical bytes would reuse ({@link #byHash}) if that one
     * holds it, so resolving the link uploads again and never returns the dead id. An entry that
     * already holds a newer id is kept: every message that carried the dead id asks for a re-upload,
     * and those asking after the first must reuse its upload instead of replacing it once more.
     *
     * @param sha256 hex SHA-256 of the dead id's bytes, or null when unknown
     */
    public void evictId(String channel, String link, String mediaId, String sha256) {
        String key = LinkKeys.key(channel, link);
        MediaCacheEntry current = entries.get(key);
        String hash = sha256 != null ? sha256 : current == null ? null : current.sha256();
        removeIfHolds(key, mediaId);
        if (hash != null) {
            String sameBytes = keysByHash.get(channel + "/" + hash);
            if (sameBytes != null) {
                removeIfHolds(sameBytes, mediaId);
            }
        }
    }

    private void removeIfHolds(String key, String mediaId) {
        MediaCacheEntry entry = entries.get(key);
        if (entry != null && entry.mediaId().equals(mediaId)) {
            remove(key);
        }
    }

    /** Loads one record of the topic during restore: an entry, or a tombstone. */
    void restore(byte[] key, byte[] value) {
        String k = new String(key, StandardCharsets.UTF_8);
        if (value == null) {
            MediaCacheEntry gone = entries.remove(k);
            if (gone != null) {
                forgetHash(gone);
            }
            return;
        }
        try {
            MediaCacheEntry entry = Json.read(value, MediaCacheEntry.class);
            MediaCacheEntry previous = entries.put(k, entry);
            if (previous != null) {
                forgetHash(previous);
            }
            keysByHash.put(entry.channel() + "/" + entry.sha256(), k);
        } catch (IOException e) {
            // a record we cannot read is simply not reused
        }
    }

    /** Entries held in memory. */
    public int size() {
        return entries.size();
    }

    private void remove(String key) {
        MediaCacheEntry gone = entries.remove(key);
        if (gone != null) {
            forgetHash(gone);
            sink.accept(tombstone(key));
        }
    }

    private void forgetHash(MediaCacheEntry entry) {
        keysByHash.remove(entry.channel() + "/" + entry.sha256(), LinkKeys.key(entry.channel(), entry.link()));
    }

    private ProducerRecord<byte[], byte[]> tombstone(String key) {
        return new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), null);
    }
}
