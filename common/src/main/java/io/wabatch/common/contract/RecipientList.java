package io.wabatch.common.contract;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the recipients of a job: {@code to} (a phone number) and/or {@code recipient} (a
 * business-scoped user ID) for one, or {@code recipients} for a batch, whose entries are numbers,
 * BSUIDs, or objects with {@code to} and/or {@code recipient} and {@code vars}. Normalises each
 * number, checks each BSUID, drops duplicates (counted), and separates recipients that cannot be
 * sent to. Structural problems of the list itself (a single and a batch, neither, too many, wrong
 * shapes) make the whole job invalid. With both a number and a BSUID, the number is the address
 * (the API gives {@code to} precedence) and the BSUID is kept.
 */
record RecipientList(List<Recipient> valid, List<RecipientRejection> rejected, int duplicates) {

    static RecipientList read(JsonNode root, List<Problem> problems) {
        JsonNode to = root.get("to");
        JsonNode recipient = root.get("recipient");
        JsonNode list = root.get("recipients");
        boolean single = present(to) || present(recipient);
        boolean hasList = present(list);
        if (single == hasList) {
            problems.add(new Problem(single ? (present(to) ? "to" : "recipient") : "to|recipients", single
                    ? "give either 'to' / 'recipient' (one recipient) or 'recipients', not both"
                    : "is required: 'to' (one number), 'recipient' (one business-scoped user ID) or 'recipients' "
                    + "(up to " + CampaignJob.MAX_RECIPIENTS + ")"));
            return empty();
        }
        if (single) {
            if ((present(to) && !to.isTextual()) || (present(recipient) && !recipient.isTextual())) {
                problems.add(new Problem(present(to) && !to.isTextual() ? "to" : "recipient", present(to)
                        && !to.isTextual() ? "must be a phone number string" : "must be a business-scoped user ID string"));
                return empty();
            }
            return collect(List.of(new Entry(-1, "", false, text(to), text(recipient), Map.of())));
        }
        return readList(list, problems);
    }

    private static boolean present(JsonNode node) {
        return node != null && !node.isNull();
    }

    private static String text(JsonNode node) {
        return present(node) ? node.asText() : null;
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
            PhoneNumbers.Normalised number = entry.phone() == null ? null : PhoneNumbers.normalise(entry.phone());
            String userId = entry.userId() == null ? null : entry.userId().strip();
            Problem problem = number != null && !number.ok() ? new Problem(entry.path("to"), number.problem())
                    : userId != null && !Bsuids.isBsuid(userId) ? new Problem(entry.path("recipient"), Bsuids.problem(userId))
                    : null;
            String address = problem != null ? null : number != null ? number.digits() : userId;
            if (problem != null && !seenInvalid.add(entry.input().strip())) {
                duplicates++;
            } else if (problem != null) {
                rejected.add(new RecipientRejection(entry.index(), entry.input(), problem));
            } else if (!firstTime(seen, address, userId)) {
                duplicates++;
            } else {
                valid.add(new Recipient(entry.index(), entry.input(), address, userId, entry.vars()));
            }
        }
        return new RecipientList(valid, rejected, duplicates);
    }

    /** True unless the address or the BSUID was seen before: one person, one message. Remembers both. */
    private static boolean firstTime(Set<String> seen, String address, String userId) {
        boolean newAddress = seen.add(address);
        boolean newUser = userId == null || userId.equals(address) || seen.add(userId);
        return newAddress && newUser;
    }

    private static RecipientList empty() {
        return new RecipientList(List.of(), List.of(), 0);
    }

    /** The derived job ids and numbers, for the failed results of an invalid job. */
    List<JobValidation.Target> targets(String jobId) {
        List<JobValidation.Target> targets = new ArrayList<>();
        valid.forEach(r -> targets.add(new JobValidation.Target(r.jobId(jobId), r.address())));
        rejected.forEach(r -> targets.add(new JobValidation.Target(r.jobId(jobId), null)));
        return targets;
    }

    /**
     * One recipient as written: a number and/or a BSUID.
     *
     * @param prefix  the entry's path ({@code recipients[3]}), empty for a single recipient
     * @param textual the entry is a bare string, so its path is the entry's own
     */
    private record Entry(int index, String prefix, boolean textual, String phone, String userId,
                         Map<String, String> vars) {

        String input() {
            return phone != null ? phone : userId;
        }

        String path(String field) {
            return prefix.isEmpty() ? field : textual ? prefix : prefix + "." + field;
        }

        static Entry read(int index, JsonNode node, List<Problem> problems) {
            String path = "recipients[" + index + "]";
            if (node.isTextual()) {
                String value = node.asText().strip();
                return Bsuids.isBsuid(value) ? new Entry(index, path, true, null, value, Map.of())
                        : new Entry(index, path, true, node.asText(), null, Map.of());
            }
            boolean hasTo = node.isObject() && present(node.get("to"));
            boolean hasRecipient = node.isObject() && present(node.get("recipient"));
            if (!node.isObject() || (!hasTo && !hasRecipient) || (hasTo && !node.get("to").isTextual())
                    || (hasRecipient && !node.get("recipient").isTextual())) {
                problems.add(new Problem(path, "must be a phone number, a business-scoped user ID, or an object "
                        + "{\"to\": \"+...\", \"recipient\": \"US.1349...\", \"vars\": {...}} with 'to' and/or 'recipient'"));
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
            return new Entry(index, path, false, text(node.get("to")), text(node.get("recipient")), values);
        }
    }
}
