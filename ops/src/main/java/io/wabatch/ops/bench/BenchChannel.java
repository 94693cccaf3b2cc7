package io.wabatch.ops.bench;

import io.wabatch.common.channel.Channel;
import io.wabatch.sandbox.api.SandboxNumber;

/**
 * One channel of a scenario: a 360dialog number of the sandbox and the registry entry that sends
 * through it, on its own partition. The sandbox enforces {@code mps} (130429 above it), sends and customers'
 * messages counted together; the sender paces at {@code mps × headroom} (the registry default) less the rate of
 * customers' messages (the registry names the number's {@code phone_number_id}, so the sender sees them).
 *
 * @param id        the channel id
 * @param partition its partition of the channel-partitioned topics
 * @param mps       the number's limit, at the sandbox and in the registry
 */
record BenchChannel(String id, int partition, int mps) {

    /** The sandbox's phone-number id of this channel (its stats key). */
    String numberId() {
        return "bench-" + id;
    }

    /** The environment variable that carries this channel's API key to the workers. */
    String keyVariable() {
        return "BENCH_KEY_" + partition;
    }

    String apiKey() {
        return "bench-key-" + id;
    }

    /** The pace the sender aims at while no customer writes to the number. */
    double pace() {
        return mps * Channel.defaultHeadroom(mps);
    }

    /** The pace the sender aims at while {@code inbound} customers a second write to the number. */
    double pace(int inbound) {
        return pace() - inbound;
    }

    SandboxNumber sandboxNumber() {
        return SandboxNumber.d360(numberId(), "+49 30 " + (1000000 + partition), apiKey()).withMps(mps);
    }

    /** This channel's entry in the registry file. */
    String yaml(String baseUrl) {
        return String.format("  - {id: %s, provider: 360dialog, base_url: \"%s\", credential: \"env:%s\", partition: %d, "
                + "mps: %d, phone_number_id: \"%s\"}%n", id, baseUrl, keyVariable(), partition, mps, numberId());
    }
}
