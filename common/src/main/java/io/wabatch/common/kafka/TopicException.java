package io.wabatch.common.kafka;

import java.util.List;

/** Topics are missing or misconfigured; the message lists every problem and how to fix it. */
public final class TopicException extends Exception {

    private final List<String> problems;

    public TopicException(List<String> problems) {
        super("Kafka topics are not as wabatch needs them:\n  - " + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
