package io.wabatch.sender.ledger;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.wabatch.common.contract.Json;
import java.io.IOException;
import java.time.Instant;
import java.util.Locale;

/**
 * One record of the send ledger ({@code wa.send-ledger}): what happened to one generation of one
 * job on the API, keyed like the ready job ({@code <channel>/<recipient>}) so it lands in the
 * channel's partition.
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

    public byte[] encode() {
        return Json.bytes(this);
    }

    public static LedgerEntry decode(byte[] value) throws IOException {
        LedgerEntry entry = Json.read(value, LedgerEntry.class);
        if (entry.job == null || entry.state == null) {
            throw new IOException("ledger record lacks job or state");
        }
        return entry;
    }
}
