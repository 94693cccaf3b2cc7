package io.wabatch.sender.ledger;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.wabatch.common.contract.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One entry of the send ledger ({@code wa.send-ledger}): what happened to one generation of one
 * job on the API. A record holds one entry (an outcome, written with the job's result, keyed like the
 * ready job so it lands in the channel's partition) or a {@link Batch} of them (attempts and notes,
 * written to the channel's partition).
 *
 * @param job        the job id
 * @param generation the generation (intentional resends count up)
 * @param state      what happened
 * @param attempt    the API call number the record is about (0 for states that are not about a call)
 * @param wamid      the message id for {@link State#ACCEPTED}, else null
 * @param at         when
 */
public record LedgerEntry(String job, int generation, State state, int attempt, String wamid, Instant at) {

    /** Where a job stands. */
    public enum State {
        /** An API call is about to be made (written and acknowledged before the call). */
        ATTEMPT,
        /** The API's answer proved the call was not processed (a rule, a rate limit, a refused channel). */
        NOT_SENT,
        /** Waiting in the deferred topics; will come back as a ready job with the same id. */
        DEFERRED,
        /** The API accepted it. */
        ACCEPTED,
        /** Sent back for re-upload; the next generation is another job as far as the ledger goes. */
        REUPLOADED,
        /** Any other final result (failed, expired, parked, suppressed). */
        FINAL;

        /** True when a redelivered copy must not be sent again. */
        public boolean done() {
            return this == ACCEPTED || this == REUPLOADED || this == FINAL;
        }

        @JsonValue
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        @JsonCreator
        public static State fromWire(String name) {
            return valueOf(name.toUpperCase(Locale.ROOT));
        }
    }

    /**
     * Several entries of one partition in one record ({@code {"entries": [...]}}): the attempts and notes
     * that one turn of the event loop produced go out together, so the broker appends and acknowledges
     * one record, not one per message.
     */
    record Batch(List<LedgerEntry> entries) {
    }

    public byte[] encode() {
        return Json.bytes(this);
    }

    /** {@code entries} as one batch record. */
    public static byte[] encodeAll(List<LedgerEntry> entries) {
        return Json.bytes(new Batch(entries));
    }

    /** The entries of a record: a batch's in order, or the one entry of a single record. */
    public static List<LedgerEntry> decodeAll(byte[] value) throws IOException {
        JsonNode tree = Json.mapper().readTree(value);
        if (tree == null || !tree.isObject()) {
            throw new IOException("a ledger record is a JSON object");
        }
        if (!tree.has("entries")) {
            return List.of(check(Json.mapper().treeToValue(tree, LedgerEntry.class)));
        }
        List<LedgerEntry> entries = new ArrayList<>();
        for (JsonNode entry : tree.get("entries")) {
            entries.add(check(Json.mapper().treeToValue(entry, LedgerEntry.class)));
        }
        return entries;
    }

    private static LedgerEntry check(LedgerEntry entry) throws IOException {
        if (entry == null || entry.job == null || entry.state == null) {
            throw new IOException("ledger record lacks job or state");
        }
        return entry;
    }
}
