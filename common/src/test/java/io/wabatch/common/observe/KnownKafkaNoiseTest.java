package io.wabatch.common.observe;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.apache.kafka.clients.producer.internals.Sender;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.utils.LogContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Through Kafka's own {@link LogContext} logger, as the producer's sender thread logs. */
class KnownKafkaNoiseTest {

    private static final String RETRY = "Got error produce response with correlation id {} on topic-partition {}, "
            + "retrying ({} attempts left). Error: {}";

    private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    private final KnownKafkaNoise filter = new KnownKafkaNoise();
    private final ListAppender<ILoggingEvent> seen = new ListAppender<>();
    private final ch.qos.logback.classic.Logger sender = context.getLogger(Sender.class);
    private final Logger log = new LogContext("[Producer clientId=test, transactionalId=test-1] ").logger(Sender.class);
    private Level previous;

    @BeforeEach
    void install() {
        filter.start();
        context.addTurboFilter(filter);
        seen.start();
        sender.addAppender(seen);
        previous = sender.getLevel();
        sender.setLevel(Level.DEBUG);
    }

    @AfterEach
    void remove() {
        context.getTurboFilterList().remove(filter);
        sender.detachAppender(seen);
        sender.setLevel(previous);
    }

    @Test
    void dropsTheRetryOfAProduceDuringThePreviousTransactionsCompletion() {
        log.warn(RETRY, 16, new TopicPartition("wa.jobs.ready", 0), 2147483646, Errors.CONCURRENT_TRANSACTIONS.toString());
        log.warn(RETRY, 17, new TopicPartition("wa.jobs.ready", 1), 2147483645,
                Errors.CONCURRENT_TRANSACTIONS + ". Error Message: the transaction is completing");

        assertThat(seen.list).isEmpty();
    }

    @Test
    void letsEveryOtherWarningThrough() {
        log.warn(RETRY, 16, new TopicPartition("wa.jobs.ready", 0), 5, Errors.NOT_LEADER_OR_FOLLOWER.toString());
        log.warn("Received invalid metadata error in produce request on partition {} due to {}",
                new TopicPartition("wa.jobs.ready", 0), Errors.CONCURRENT_TRANSACTIONS.toString());
        log.error(RETRY, 16, new TopicPartition("wa.jobs.ready", 0), 5, Errors.CONCURRENT_TRANSACTIONS.toString());
        LoggerFactory.getLogger("io.wabatch.other").warn(RETRY, 1, "x", 1, "CONCURRENT_TRANSACTIONS");

        assertThat(seen.list).extracting(ILoggingEvent::getLevel).containsExactly(Level.WARN, Level.WARN, Level.ERROR);
    }
}
