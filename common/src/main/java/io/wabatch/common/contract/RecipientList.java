package io.wabatch.common.contract;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads {@code to} or {@code recipients} of a job: normalises each number, drops duplicates
 * (counted), and separates recipients that cannot be sent to. Structural problems of the list
 * itself (both fields, neither, too many, wrong shapes) make the whole job invalid.
 */
record RecipientList(List<Recipient> valid, List<RecipientRejection> rejected, int duplicates) {

    static RecipientList read(JsonNode root, List<Problem> problems) {
        JsonNode to = root.get("to");
        JsonNode list = root.get("recipients");
        boolean hasTo = to != null && !to.isNull();
        boolean hasList = list != null && !list.isNull();
        if (hasTo == hasList) {
            problems.add(new Problem(hasTo ? "to" : "to|recipients", hasTo
                    ? "give either 'to' or 'recipients', not both"
                    : "is required: 'to' (one number) or 'recipients' (up to " + CampaignJob.MAX_RECIPIENTS + ")"));
            return empty();
        }
        if (hasTo) {
            if (!to.isTextual()) {
                problems.add(new Problem("to", "must be a phone number string"));
                return empty();
            }
            return collect(List.of(new Entry(-1, "to", to.asText(), Map.of())));
        }
        return readList(list, problems);
    }

    private static RecipientList readList(JsonNode list, List<Problem> problems) {
        if (!list.isArray() || list.isEmpty()) {
            problems.add(new Problem("recipients", "must be a non-empty array of numbers or {\"to\": ..., \"vars\": {...}}"));
            return empty();
        }
        if (list.size() > CampaignJob.MAX_RECIPIENTS) {
            problems.add(new Problem("recipients", "has " + list.size() + " entries; split the job, the limit is "
                    + CampaignJob.MAX_RECIPIENTS));
            return empty();
        }
        List<Entry> entries = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            Entry entry = Entry.read(i, list.get(i), problems);
            if (entry != null) {
                entries.add(entry);
            }
        }
        return collect(entries);
    }

    private static RecipientList collect(List<Entry> entries) {
        List<Recipient> valid = new ArrayList<>(entries.size());
        List<RecipientRejection> rejected = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        Set<String> seenInvalid = new HashSet<>();
        int duplicates = 0;
        for (Entry entry : entries) {
            PhoneNumbers.Normalised number = PhoneNumbers.normalise(entry.input());
            if (!number.ok() && !seenInvalid.add(entry.input().strip())) {
                duplicates++;
            } else if (!number.ok()) {
                rejected.add(new RecipientRejection(entry.index(), entry.input(), new Problem(entry.path(), number.problem())));
            } else if (!seen.add(number.digits())) {
                duplicates++;
            } else {
                valid.add(new Recipient(entry.index(), entry.input(), number.digits(), entry.vars()));
            }
        }
        return new RecipientList(valid, rejected, duplicates);
    }

    private static RecipientList empty() {
        return new RecipientList(List.of(), List.of(), 0);
    }

    /** The derived job ids and numbers, for the failed results of an invalid job. */
    List<JobValidation.Target> targets(String jobId) {
        List<JobValidation.Target> targets = new ArrayList<>();
        valid.forEach(r -> targets.add(new JobValidation.Target(r.jobId(jobId), r.phone())));
        rejected.forEach(r -> targets.add(new JobValidation.Target(r.jobId(jobId), null)));
        return targets;
    }

    private record Entry(int index, String path, String input, Map<String, String> vars) {

        static Entry read(int index, JsonNode node, List<Problem> problems) {
            String path = "recipients[" + index + "]";
            if (node.isTextual()) {
                return new Entry(index, path, node.asText(), Map.of());
            }
            if (!node.isObject() || !node.path("to").isTextual()) {
                problems.add(new Problem(path, "must be a phone number or an object {\"to\": \"+...\", \"vars\": {...}}"));
                return null;
            }
            JsonNode vars = node.get("vars");
            if (vars != null && !vars.isNull() && !vars.isObject()) {
                problems.add(new Problem(path + ".vars", "must be an object of placeholder names to values"));
                return null;
            }
            Map<String, String> values = new LinkedHashMap<>();
            if (vars != null && vars.isObject()) {
                vars.fields().forEachRemaining(f -> values.put(f.getKey(), f.getValue().isValueNode()
                        ? f.getValue().asText() : f.getValue().toString()));
            }
            return new Entry(index, path + ".to", node.get("to").asText(), values);
        }
    }
}
