package io.wabatch.common.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class OutputsTest {

    private final Outputs outputs = new Outputs(TopicNames.defaults(), "upload", new SimpleMeterRegistry());

    @Test
    void aDeadLetterKeepsTheRecordWholeUpToTheJobsTopicsSize() {
        byte[] value = new byte[TopicNames.JOBS_MAX_MESSAGE_BYTES];
        ProducerRecord<byte[], byte[]> dead = outputs.deadLetter(source(value), value, "j", "invalid_job", "too big");
        assertThat(dead.value()).isSameAs(value);
        assertThat(dead.headers().lastHeader(Outputs.VALUE_OMITTED)).isNull();
    }

    @Test
    void aRecordLargerThanTheDeadLetterTopicTakesIsReferencedByItsCoordinatesNotCopied() {
        // a producer's compressed batch can carry a record larger than the topic's limit uncompressed
        byte[] value = new byte[TopicNames.JOBS_MAX_MESSAGE_BYTES + 1];
        ProducerRecord<byte[], byte[]> dead = outputs.deadLetter(source(value), value, "j", "invalid_job", "too big");
        assertThat(dead.value()).isNull();
        assertThat(header(dead, Outputs.VALUE_OMITTED)).isEqualTo(Integer.toString(value.length));
        assertThat(header(dead, Outputs.SOURCE_OFFSET)).isEqualTo("7");
        assertThat(header(dead, Outputs.ERROR_REASON)).isEqualTo("too big");
    }

    private static ConsumerRecord<byte[], byte[]> source(byte[] value) {
        return new ConsumerRecord<>("wa.jobs", 0, 7L, "k".getBytes(StandardCharsets.UTF_8), value);
    }

    private static String header(ProducerRecord<byte[], byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
