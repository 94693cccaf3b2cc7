package io.wabatch.ops.campaign;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

/** The phone numbers opted out of marketing messages, from the compacted opt-out topic (a null value opts in again). */
public final class OptOuts {

    private OptOuts() {
    }

    /** Reads the whole topic, as committed now. Blocking. */
    public static Set<String> read(String bootstrap, String topic) {
        Set<String> optOuts = new HashSet<>();
        TopicScan.read(bootstrap, topic, record -> {
            String phone = new String(record.key(), StandardCharsets.UTF_8);
            if (record.value() == null) {
                optOuts.remove(phone);
            } else {
                optOuts.add(phone);
            }
        });
        return optOuts;
    }
}
