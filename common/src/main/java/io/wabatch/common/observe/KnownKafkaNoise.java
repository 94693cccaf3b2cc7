package io.wabatch.common.observe;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.Marker;

/**
 * Drops the Kafka producer's WARN for a produce request it retries because the previous transaction of the
 * same producer is still being completed ({@code Got error produce response ... retrying (...). Error:
 * CONCURRENT_TRANSACTIONS}). With transactions v2 (KIP-890) the broker answers a produce request that
 * arrives before the previous transaction's markers are written with CONCURRENT_TRANSACTIONS, by design
 * (KAFKA-18662), and the client retries it; a loop that commits every few hundred milliseconds meets it
 * routinely. It is not trouble, and a console full of it hides what is. A retry that never succeeds still
 * fails the send after {@code delivery.timeout.ms}, which the loop reports at ERROR. Every other WARN of
 * the producer's sender thread passes. Installed by each {@code logback.xml} as a {@code turboFilter}.
 */
public final class KnownKafkaNoise extends TurboFilter {

    static final String PRODUCER_SENDER = "org.apache.kafka.clients.producer.internals.Sender";

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params,
                              Throwable t) {
        if (level != Level.WARN || logger == null || !PRODUCER_SENDER.equals(logger.getName()) || format == null
                || !format.contains("Got error produce response") || !format.contains("retrying")) {
            return FilterReply.NEUTRAL;
        }
        // Kafka's LogContext logger hands over the message already formatted (params null); a plain slf4j
        // logger would hand over the format and the error as a parameter.
        if (format.contains("Error: CONCURRENT_TRANSACTIONS")) {
            return FilterReply.DENY;
        }
        if (params != null && params.length > 0 && params[params.length - 1] != null
                && params[params.length - 1].toString().startsWith("CONCURRENT_TRANSACTIONS")) {
            return FilterReply.DENY;
        }
        return FilterReply.NEUTRAL;
    }
}
