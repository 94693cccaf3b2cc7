package io.wabatch.ops.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every scenario of {@code wabatch bench}, by name, in the order {@code all} runs them. */
public final class Scenarios {

    private static final Map<String, Scenario> BY_NAME = new LinkedHashMap<>();

    static {
        for (Scenario scenario : List.<Scenario>of(new PacingScenario(), new CeilingScenario(), new HolScenario(), new MemoryScenario(), new DedupeScenario(), new LatencyScenario(), new WebhooksScenario())) {
            BY_NAME.put(scenario.name(), scenario);
        }
    }

    private Scenarios() {
    }

    /** The scenario names, in order. */
    public static List<String> names() {
        return List.copyOf(BY_NAME.keySet());
    }

    /** The scenario called {@code name}. */
    public static Scenario named(String name) {
        Scenario scenario = BY_NAME.get(name);
        if (scenario == null) {
            throw new IllegalArgumentException("no scenario " + name + "; try one of " + names() + " or all");
        }
        return scenario;
    }
}
