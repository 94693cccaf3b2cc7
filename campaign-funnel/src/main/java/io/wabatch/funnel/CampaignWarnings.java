package io.wabatch.funnel;

import io.wabatch.common.control.CampaignWarning;
import java.util.Map;
import java.util.TreeMap;

/**
 * A campaign's warnings in force, by kind (the funnel's {@code campaign-warnings} store).
 *
 * @param warnings the latest warning of each kind
 */
record CampaignWarnings(Map<String, CampaignWarning> warnings) {

    /** A warning of a kind, or its clearing (null). */
    record Change(String kind, CampaignWarning warning) {
    }

    CampaignWarnings {
        warnings = warnings == null ? new TreeMap<>() : new TreeMap<>(warnings);
    }

    CampaignWarnings() {
        this(null);
    }

    CampaignWarnings with(Change change) {
        CampaignWarnings copy = new CampaignWarnings(warnings);
        if (change.warning() == null) {
            copy.warnings.remove(change.kind());
        } else {
            copy.warnings.put(change.kind(), change.warning());
        }
        return copy;
    }

    /** Each kind's warning as a line for a person. */
    Map<String, String> lines() {
        Map<String, String> lines = new TreeMap<>();
        warnings.forEach((kind, warning) -> lines.put(kind, warning.line()));
        return lines;
    }
}
