package io.wabatch.funnel.cost;

import java.util.List;

/** A rate card that cannot be used: each problem names the file, the line and the field. */
public final class RateCardException extends IllegalArgumentException {

    private final List<String> problems;

    RateCardException(List<String> problems) {
        super(String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    /** Each problem on its own. */
    public List<String> problems() {
        return problems;
    }
}
