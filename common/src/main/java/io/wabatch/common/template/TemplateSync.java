package io.wabatch.common.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.wabatch.common.api.ApiResult;
import io.wabatch.common.api.TemplatePage;
import io.wabatch.common.api.WhatsAppClient;
import io.wabatch.common.contract.Json;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Lists one account's templates through the API, every page, and writes what changed to the
 * catalogue topic: each new or changed definition, a tombstone for each template no longer listed
 * (deleted), then the account's record, which makes its jobs checked. Unchanged definitions are not
 * written again. The records go to {@code sink} and are applied to the catalogue at once, so a check
 * right after a sync sees its result before the topic's follower does.
 *
 * <p>Nothing is written unless the listing completed: a failed page leaves the catalogue as it was.
 * Not thread-safe: run one sync of an account at a time (the callers single-flight them).
 */
public final class TemplateSync {

    /** Pages read at most per account: far more than 250 templates in every language need. */
    public static final int MAX_PAGES = 500;

    /**
     * What one sync found.
     *
     * @param templates definitions listed
     * @param changed   definitions written (new or changed)
     * @param removed   tombstones written (templates no longer listed)
     * @param skipped   listed objects without a name or a language, ignored
     */
    public record Result(String wabaId, int templates, int changed, int removed, int skipped) {
    }

    private final String topic;
    private final TemplateCatalogue catalogue;
    private final Consumer<ProducerRecord<byte[], byte[]>> sink;
    private final Clock clock;

    public TemplateSync(String topic, TemplateCatalogue catalogue, Consumer<ProducerRecord<byte[], byte[]>> sink,
                        Clock clock) {
        this.topic = topic;
        this.catalogue = catalogue;
        this.sink = sink;
        this.clock = clock;
    }

    /**
     * Lists account {@code wabaId} with {@code client} (the credential of channel {@code channel}) and
     * writes the changes. Completes on the client's context; fails with a {@link TemplateSyncException}
     * when the API refused or did not answer.
     */
    public Future<Result> sync(String wabaId, String channel, WhatsAppClient client) {
        return list(client, wabaId, null, new ArrayList<>(), new HashSet<>())
                .map(listed -> write(wabaId, channel, listed));
    }

    private Future<List<JsonNode>> list(WhatsAppClient client, String wabaId, String cursor, List<JsonNode> listed,
                                        Set<String> cursors) {
        Future<ApiResult<TemplatePage>> call;
        try {
            call = client.templates(wabaId, cursor);
        } catch (IllegalArgumentException e) {
            return Future.failedFuture(new TemplateSyncException("account " + wabaId + ": " + e.getMessage()));
        }
        return call.compose(result -> {
            if (!result.isOk()) {
                return Future.failedFuture(new TemplateSyncException("listing the templates of account " + wabaId
                        + " failed: " + result.error().describe()));
            }
            listed.addAll(result.value().templates());
            String next = result.value().next();
            if (next == null) {
                return Future.succeededFuture(listed);
            }
            if (!cursors.add(next) || cursors.size() >= MAX_PAGES) {
                return Future.failedFuture(new TemplateSyncException("listing the templates of account " + wabaId
                        + " did not end after " + cursors.size() + " pages (cursor " + next + " repeated or too many)"));
            }
            return list(client, wabaId, next, listed, cursors);
        });
    }

    /** Writes and applies the records of a complete listing. */
    Result write(String wabaId, String channel, List<JsonNode> listed) {
        Map<String, TemplateDefinition> byKey = new LinkedHashMap<>();
        int skipped = 0;
        for (JsonNode node : listed) {
            Optional<TemplateDefinition> definition = TemplateDefinition.parse(node);
            if (definition.isPresent()) {
                byKey.put(definition.get().key(wabaId), definition.get());
            } else {
                skipped++;
            }
        }
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (Map.Entry<String, TemplateDefinition> entry : byKey.entrySet()) {
            TemplateDefinition definition = entry.getValue();
            boolean same = catalogue.find(wabaId, definition.name(), definition.language())
                    .map(held -> held.raw().equals(definition.raw())).orElse(false);
            if (!same) {
                records.add(record(entry.getKey(), Json.bytes(definition.raw())));
            }
        }
        int changed = records.size();
        Set<String> gone = new HashSet<>(catalogue.keys(wabaId));
        gone.removeAll(byKey.keySet());
        gone.stream().sorted().forEach(key -> records.add(record(key, null)));
        records.add(record(TemplateKeys.account(wabaId), accountValue(wabaId, channel, byKey.size())));
        for (ProducerRecord<byte[], byte[]> record : records) {
            sink.accept(record);
            catalogue.apply(record.key(), record.value());
        }
        return new Result(wabaId, byKey.size(), changed, gone.size(), skipped);
    }

    private byte[] accountValue(String wabaId, String channel, int templates) {
        ObjectNode account = Json.mapper().createObjectNode().put("waba_id", wabaId)
                .put("synced_at", clock.instant().toString()).put("templates", templates);
        if (channel != null) {
            account.put("channel", channel);
        }
        return Json.bytes(account);
    }

    private ProducerRecord<byte[], byte[]> record(String key, byte[] value) {
        return new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value);
    }
}
