package io.wabatch.upload.template;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.wabatch.common.api.WhatsAppClient;
import io.wabatch.common.channel.Channel;
import io.wabatch.common.channel.ChannelRegistry;
import io.wabatch.common.template.TemplateCatalogue;
import io.wabatch.common.template.TemplateFollower;
import io.wabatch.common.template.TemplateSync;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The upload worker's template catalogue, wired: the view of the topic and its follower, the
 * listings that write to it, and the gate that checks jobs against it.
 *
 * @param catalogue the view, followed from the topic and updated by this worker's listings at once
 * @param follower  follows the topic; start it and wait for it to catch up before consuming
 * @param refresh   lists accounts on schedule and on demand
 * @param gate      judges template jobs
 */
public record UploadTemplates(TemplateCatalogue catalogue, TemplateFollower follower, CatalogueRefresh refresh,
                              TemplateGate gate) implements AutoCloseable {

    /** What the wiring needs from the worker. */
    public record Wiring(Vertx vertx, Context context, ChannelRegistry registry, Function<String, WhatsAppClient> clients,
                         Consumer<ProducerRecord<byte[], byte[]>> sink, Clock clock) {
    }

    /**
     * @param clientProperties the Kafka clients' properties (the follower reads without a group)
     * @param topic            the catalogue topic
     * @param syncs            told of every listing: true when it completed
     * @param checks           told how each template job was judged
     */
    public static UploadTemplates create(Wiring wiring, Map<String, Object> clientProperties, String topic,
                                         TemplateTimes times, Consumer<Boolean> syncs, Consumer<String> checks) {
        TemplateCatalogue catalogue = new TemplateCatalogue();
        TemplateFollower follower = new TemplateFollower(clientProperties, topic, catalogue);
        CatalogueRefresh refresh = new CatalogueRefresh(wiring.vertx(), wiring.context(),
                new TemplateSync(topic, catalogue, wiring.sink(), wiring.clock()), wiring.registry().all(),
                wiring.clients(), times, wiring.clock(), syncs);
        ChannelRegistry registry = wiring.registry();
        TemplateGate gate = new TemplateGate(catalogue, channel -> registry.find(channel).map(Channel::wabaId)
                .orElse(null), refresh, times.staleAfter(), wiring.clock(),
                result -> checks.accept(result.name().toLowerCase(Locale.ROOT)));
        return new UploadTemplates(catalogue, follower, refresh, gate);
    }

    /** Stops listing and following. */
    @Override
    public void close() {
        refresh.close();
        follower.close();
    }
}
