package io.wabatch.funnel;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.wabatch.common.contract.Json;
import java.io.IOException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** JSON in and out of the funnel: tolerant reading of input records, strict serdes for its own state. */
final class FunnelSerdes {

    private static final Logger LOG = LoggerFactory.getLogger(FunnelSerdes.class);

    private FunnelSerdes() {
    }

    /** An input record as {@code type}, or null (logged) when it cannot be read: one bad record stops nothing. */
    static <T> T read(byte[] value, Class<T> type) {
        if (value == null) {
            return null;
        }
        try {
            return Json.read(value, type);
        } catch (IOException | RuntimeException e) {
            LOG.warn("funnel: skipping an unreadable {}: {}", type.getSimpleName(), e.getMessage());
            return null;
        }
    }

    /** The serde of the funnel's own state and output: what it wrote, it must read back. */
    static <T> Serde<T> json(Class<T> type) {
        ObjectMapper mapper = Json.mapper();
        return Serdes.serdeFrom((topic, value) -> value == null ? null : Json.bytes(value), (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            try {
                return mapper.readValue(bytes, type);
            } catch (IOException e) {
                throw new SerializationException("unreadable " + type.getSimpleName(), e);
            }
        });
    }
}
