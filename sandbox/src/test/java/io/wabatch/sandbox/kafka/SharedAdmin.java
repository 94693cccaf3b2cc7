package io.wabatch.sandbox.kafka;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.admin.ForwardingAdmin;

/** The fixture's one Admin client: {@code close()} by a test is ignored, the fixture closes it at JVM exit. */
final class SharedAdmin extends ForwardingAdmin {

    SharedAdmin(Map<String, Object> configs) {
        super(configs);
    }

    /** Ignored: other tests share this client. */
    @Override
    public void close(Duration timeout) {
        // Shared by every test in the JVM; see closeShared().
    }

    void closeShared(Duration timeout) {
        super.close(timeout);
    }
}
