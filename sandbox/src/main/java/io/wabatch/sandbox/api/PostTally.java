package io.wabatch.sandbox.api;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What the sandbox posted of one kind of webhook (statuses, or customers' messages) and how the receiver
 * answered: every attempt, the bodies answered 2xx, the attempts refused (not 2xx, or no answer), the bodies
 * given up after the last try. Not thread-safe: {@link StatusWebhooks} guards it with its own lock.
 */
final class PostTally {

    private long posted;
    private long answeredOk;
    private long refused;
    private long undeliverable;

    void posted() {
        posted++;
    }

    void answered(boolean ok) {
        if (ok) {
            answeredOk++;
        } else {
            refused++;
        }
    }

    void gaveUp() {
        undeliverable++;
    }

    /** Adds {@code posted}, {@code answered_ok}, {@code refused} and {@code undeliverable} to {@code node}. */
    ObjectNode write(ObjectNode node) {
        return node.put("posted", posted).put("answered_ok", answeredOk).put("refused", refused)
                .put("undeliverable", undeliverable);
    }

    /** {@link #write} of the sum of both. */
    static ObjectNode writeSum(ObjectNode node, PostTally a, PostTally b) {
        return node.put("posted", a.posted + b.posted).put("answered_ok", a.answeredOk + b.answeredOk)
                .put("refused", a.refused + b.refused).put("undeliverable", a.undeliverable + b.undeliverable);
    }

    void reset() {
        posted = 0;
        answeredOk = 0;
        refused = 0;
        undeliverable = 0;
    }
}
