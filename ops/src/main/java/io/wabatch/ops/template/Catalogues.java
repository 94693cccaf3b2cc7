package io.wabatch.ops.template;

import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import io.wabatch.common.api.ClientOptions;
import io.wabatch.common.api.WhatsAppClients;
import io.wabatch.common.channel.Channel;
import io.wabatch.common.channel.ChannelRegistry;
import io.wabatch.common.template.TemplateCatalogue;
import io.wabatch.common.template.TemplateSync;
import io.wabatch.ops.campaign.CampaignProducers;
import io.wabatch.ops.campaign.TopicScan;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/** The template catalogue from the command line: read it from its topic, list accounts into it. Blocking. */
public final class Catalogues {

    /** How long listing one account may take, every page. */
    static final Duration SYNC_TIMEOUT = Duration.ofMinutes(2);

    private Catalogues() {
    }

    /** The catalogue as the topic holds it now. */
    public static TemplateCatalogue read(String bootstrap, String topic) {
        TemplateCatalogue catalogue = new TemplateCatalogue();
        TopicScan.read(bootstrap, topic, record -> catalogue.apply(record.key(), record.value()));
        return catalogue;
    }

    /**
     * What listing one account gave.
     *
     * @param channel the channel whose credential listed it, or null when the account has none in the registry
     * @param result  the sync's result, or null when it failed
     * @param error   why it failed, or null
     */
    public record Outcome(String wabaId, String channel, TemplateSync.Result result, String error) {
    }

    /**
     * Lists each account with the credential of its first channel (by id) into {@code catalogue} and writes the
     * records to {@code topic} (acknowledged by the cluster before this returns). An account whose listing
     * failed is left as it was.
     */
    public static List<Outcome> sync(String bootstrap, String topic, TemplateCatalogue catalogue,
                                     ChannelRegistry registry, List<String> accounts) throws InterruptedException {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        List<Outcome> outcomes = new ArrayList<>();
        Vertx vertx = Vertx.vertx();
        WebClient web = WhatsAppClients.webClient(vertx, ClientOptions.defaults());
        try {
            TemplateSync sync = new TemplateSync(topic, catalogue, records::add, Clock.systemUTC());
            for (String account : accounts) {
                outcomes.add(sync(sync, web, account, firstChannel(registry, account)));
            }
        } finally {
            web.close();
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
        write(bootstrap, records);
        return outcomes;
    }

    /** Every {@code waba_id} of the registry, once, in order. */
    public static List<String> accounts(ChannelRegistry registry) {
        return registry.all().stream().map(Channel::wabaId).filter(Objects::nonNull).distinct().sorted()
                .toList();
    }

    private static Outcome sync(TemplateSync sync, WebClient web, String account, Optional<Channel> channel)
            throws InterruptedException {
        if (channel.isEmpty()) {
            return new Outcome(account, null, null, "no channel of the registry has waba_id " + account);
        }
        try {
            TemplateSync.Result result = sync.sync(account, channel.get().id(),
                            WhatsAppClients.create(web, channel.get().endpoint(), ClientOptions.defaults()))
                    .toCompletionStage().toCompletableFuture().get(SYNC_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return new Outcome(account, channel.get().id(), result, null);
        } catch (ExecutionException e) {
            return new Outcome(account, channel.get().id(), null, e.getCause().getMessage());
        } catch (TimeoutException e) {
            return new Outcome(account, channel.get().id(), null, "no complete listing within " + SYNC_TIMEOUT);
        }
    }

    private static Optional<Channel> firstChannel(ChannelRegistry registry, String account) {
        return registry.all().stream().filter(c -> account.equals(c.wabaId()))
                .min(Comparator.comparing(Channel::id));
    }

    private static void write(String bootstrap, List<ProducerRecord<byte[], byte[]>> records) {
        if (records.isEmpty()) {
            return;
        }
        List<Future<?>> acks = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = CampaignProducers.producer(bootstrap, null)) {
            records.forEach(record -> acks.add(producer.send(record)));
            producer.flush();
            for (Future<?> ack : acks) {
                ack.get(30, TimeUnit.SECONDS);
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("writing the template catalogue failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing the template catalogue", e);
        }
    }
}
