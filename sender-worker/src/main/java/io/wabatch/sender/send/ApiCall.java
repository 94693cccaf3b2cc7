package io.wabatch.sender.send;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.wabatch.common.api.ErrorClassifier;
import io.wabatch.common.api.WhatsAppClient;
import io.wabatch.common.contract.Bsuids;
import io.wabatch.common.contract.CallbackToken;
import io.wabatch.common.contract.JobResult;
import io.wabatch.common.contract.Json;
import io.wabatch.common.contract.ReadyJob;
import io.wabatch.sender.ledger.SendLedger;
import io.wabatch.sender.pace.AdaptivePace;
import io.wabatch.sender.pace.PairPacer;
import java.time.Clock;
import java.util.List;
import java.util.function.Function;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The call itself: {@link Step#RECHECK} (after the waits: still this sender's, not past its deadline,
 * campaign still running), {@link Step#RECORD_ATTEMPT} (the ledger's attempt, acknowledged before the
 * call), {@link Step#SEND_SLOT} (the channel's per-second cap) and {@link Step#REQUEST} ({@code /messages}
 * with the correlation token; the answer goes to {@link Step#CLASSIFY}).
 *
 * <p>Threading: runs on the sender's event loop, never blocks; the futures complete on it. Errors: a
 * ledger attempt that cannot be written fails the job's future, and the call is not made (the loop
 * parks the job); an API error is an answer, not a failure.
 */
final class ApiCall {

    /** The send stage logs under one name, as before it was split into steps. */
    private static final Logger LOG = LoggerFactory.getLogger(SendHandler.class);

    private final Function<String, WhatsAppClient> clients;
    private final SendLedger ledger;
    private final AdaptivePace pace;
    private final PairPacer pairs;
    private final Epochs epochs;
    private final CampaignGate campaigns;
    private final Deadlines deadlines;
    private final MarketingRoute route;
    private final SenderMetrics metrics;
    private final Clock clock;

    /**
     * @param ledger the send ledger, or null to send without one
     * @param route  which messages go by the Marketing Messages API, or null: all by {@code /messages}
     */
    ApiCall(Function<String, WhatsAppClient> clients, SendLedger ledger, AdaptivePace pace, PairPacer pairs,
            Epochs epochs, CampaignGate campaigns, Deadlines deadlines, MarketingRoute route, SenderMetrics metrics,
            Clock clock) {
        this.clients = clients;
        this.ledger = ledger;
        this.pace = pace;
        this.pairs = pairs;
        this.epochs = epochs;
        this.campaigns = campaigns;
        this.deadlines = deadlines;
        this.route = route;
        this.metrics = metrics;
        this.clock = clock;
    }

    Future<Step> recheck(Flight f) {
        ReadyJob job = f.job;
        if (epochs.current(f.record.partition()) != f.epoch) {
            // Revoked after the drain timeout: its offset was not committed, so the new owner sends it.
            LOG.debug("job {}: its partition was revoked while it waited; left to the new owner", job.jobId());
            return f.finish(List.of());
        }
        if (!deadlines.open(job, clock.instant())) {
            f.noWait();
            return Step.WAIT.now; // which ends it as expired
        }
        // Paused or cancelled while it waited for its turn: no call starts after the pause is read.
        List<ProducerRecord<byte[], byte[]>> held = campaigns.hold(f);
        if (held != null) {
            pace.giveBack(job.channel()); // its token goes to the next message, of a campaign that runs
            return f.finish(held);
        }
        return Step.RECORD_ATTEMPT.now;
    }

    Future<Step> recordAttempt(Flight f) {
        return ledger == null ? Step.SEND_SLOT.now : Step.SEND_SLOT.after(ledger.attempt(f.job, f.number));
    }

    Future<Step> sendSlot(Flight f) {
        return Step.REQUEST.after(pace.sendSlot(f.job.channel()));
    }

    Future<Step> request(Flight f) {
        ReadyJob job = f.job;
        boolean marketing = route != null && !f.byMessages
                && route.marketing(job, campaigns.policy(job.campaignId()));
        f.endpoint = marketing ? JobResult.MARKETING_MESSAGES : JobResult.MESSAGES;
        f.since = System.nanoTime();
        WhatsAppClient client = clients.apply(job.channel());
        ObjectNode body = body(job);
        return (marketing ? client.sendMarketing(body) : client.send(body))
                .onComplete(ar -> {
                    // A message the API took counts from its answer; a rejection that proves it was not
                    // processed (a rule, a rate limit) takes no pair slot, so a resend need not wait.
                    if (ar.failed() || ar.result().isOk()
                            || ErrorClassifier.classify(ar.result().error()).mayHaveBeenSent()) {
                        pairs.sent(f.pairKey);
                    }
                    metrics.apiCall(job.channel(), System.nanoTime() - f.since);
                })
                .compose(answer -> {
                    if (marketing && !answer.isOk() && route.fallBack(job.channel(), answer.error())) {
                        // Refused before processing: the same call again, by /messages.
                        metrics.marketingMessages(job.channel(), "fallback");
                        f.byMessages = true;
                        return request(f);
                    }
                    if (marketing) {
                        metrics.marketingMessages(job.channel(), answer.isOk() ? "accepted" : "refused");
                    }
                    f.answer = answer;
                    return Step.CLASSIFY.now;
                });
    }

    /**
     * The complete /messages body: the ready message plus recipient and correlation token. A
     * recipient known only by a business-scoped user ID goes as {@code recipient}, a number as {@code to}.
     */
    static ObjectNode body(ReadyJob job) {
        ObjectNode body = Json.mapper().createObjectNode();
        body.put("messaging_product", "whatsapp");
        body.put("recipient_type", "individual");
        if (Bsuids.isBsuid(job.to())) {
            body.put("recipient", job.to());
        } else {
            body.put("to", "+" + job.to());
        }
        body.setAll(job.message());
        body.put("biz_opaque_callback_data",
                new CallbackToken(job.campaignId(), job.jobId(), job.generation()).encode());
        return body;
    }
}
