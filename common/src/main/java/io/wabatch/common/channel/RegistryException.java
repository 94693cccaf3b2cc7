package io.wabatch.common.channel;

import java.util.List;

/** The channel registry is unusable; the message lists every problem, never a secret. */
public final class RegistryException extends IllegalArgumentException {

    private final List<String> problems;

    public RegistryException(List<String> problems) {
        super("invalid channel registry:\n  - " + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    /** Each problem on its own. */
    public List<String> problems() {
        return problems;
    }
}
