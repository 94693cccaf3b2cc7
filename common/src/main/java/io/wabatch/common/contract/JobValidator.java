package io.wabatch.common.contract;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Decodes and validates {@code wa.jobs} records (contract v1, DESIGN §3). It never throws for bad
 * input: every record becomes a {@link JobValidation}, and an invalid one carries every problem
 * found, each with the field path and a reason a producer can act on. Thread-safe.
 */
public final class JobValidator {

    static final Pattern ID = Pattern.compile("[A-Za-z0-9._:/-]{1,64}");
    static final int MAX_CALLBACK_DATA = 512;

    private final Set<String> channels;

    /** @param channels the ids of the channels this deployment knows (the channel registry) */
    public JobValidator(Set<String> channels) {
        this.channels = Set.copyOf(channels);
    }

    /** Decodes UTF-8 JSON and validates it. */
    public JobValidation validate(byte[] value) {
        if (value == null || value.length == 0) {
            return invalid(null, List.of(new Problem("$", "the record has no value; expected a JSON campaign job")));
        }
        if (value.length > CampaignJob.MAX_BYTES) {
            return invalid(null, List.of(new Problem("$", "the record has " + value.length + " bytes, more than the "
                    + CampaignJob.MAX_BYTES + " a job may have; split its recipients over several jobs (at most "
                    + CampaignJob.MAX_RECIPIENTS + " each)")));
        }
        JsonNode root;
        try {
            root = Json.mapper().readTree(value);
        } catch (JacksonException e) {
            return invalid(null, List.of(new Problem("$", "is not valid JSON: " + e.getOriginalMessage())));
        } catch (java.io.IOException e) {
            return invalid(null, List.of(new Problem("$", "cannot be read: " + e.getMessage())));
        }
        if (root == null || !root.isObject()) {
            return invalid(null, List.of(new Problem("$", "must be a JSON object (a campaign job)")));
        }
        return validate((ObjectNode) root);
    }

    /** Validates an already parsed job. */
    public JobValidation validate(ObjectNode root) {
        List<Problem> problems = new ArrayList<>();
        checkVersion(root.get("v"), problems);
        String jobId = id(root, "job_id", problems);
        String campaignId = id(root, "campaign_id", problems);
        String channel = channel(root.get("channel"), problems);
        Instant notAfter = instant(root, "not_after", problems);
        Instant notBefore = instant(root, "not_before", problems);
        checkWindow(notBefore, notAfter, problems);
        InDoubtPolicy inDoubt = inDoubt(root.get("in_doubt"), problems);
        String callbackData = callbackData(root.get("callback_data"), problems);
        new MessageRules(problems).check(root.get("message"));
        RecipientList recipients = RecipientList.read(root, problems);
        if (!problems.isEmpty()) {
            return invalid(root, problems, recipients);
        }
        ObjectNode message = (ObjectNode) root.get("message");
        return new JobValidation.Valid(new CampaignJob(jobId, campaignId, channel, recipients.valid(),
                recipients.rejected(), recipients.duplicates(), message, notAfter, notBefore, inDoubt, callbackData,
                root));
    }

    private static void checkVersion(JsonNode v, List<Problem> problems) {
        if (v == null) {
            problems.add(new Problem("v", "is required; this worker reads contract version 1 (\"v\": 1)"));
        } else if (!v.isInt() || v.intValue() != CampaignJob.VERSION) {
            problems.add(new Problem("v", "unsupported contract version " + v
                    + "; this worker reads version " + CampaignJob.VERSION));
        }
    }

    private static String id(JsonNode root, String field, List<Problem> problems) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            problems.add(new Problem(field, "is required"));
            return null;
        }
        if (!node.isTextual() || !ID.matcher(node.asText()).matches()) {
            problems.add(new Problem(field, "must be 1 to 64 characters of A-Z a-z 0-9 . _ : / -, got "
                    + MessageRules.abbreviate(node.toString())));
            return null;
        }
        return node.asText();
    }

    private String channel(JsonNode node, List<Problem> problems) {
        if (node == null || !node.isTextual() || node.asText().isBlank()) {
            problems.add(new Problem("channel", "is required: the id of the channel (WhatsApp number) that sends it"));
            return null;
        }
        if (!channels.contains(node.asText())) {
            problems.add(new Problem("channel", "unknown channel '" + MessageRules.abbreviate(node.asText())
                    + "'; known channels: " + String.join(", ", new TreeSet<>(channels))));
            return null;
        }
        return node.asText();
    }

    private static Instant instant(JsonNode root, String field, List<Problem> problems) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        try {
            return Instant.parse(node.asText());
        } catch (DateTimeParseException e) {
            problems.add(new Problem(field, "must be an ISO-8601 instant such as 2026-12-01T18:00:00Z, got "
                    + MessageRules.abbreviate(node.toString())));
            return null;
        }
    }

    /** A window that closes before it opens could never be sent; the schema cannot compare two fields. */
    private static void checkWindow(Instant notBefore, Instant notAfter, List<Problem> problems) {
        if (notBefore != null && notAfter != null && !notBefore.isBefore(notAfter)) {
            problems.add(new Problem("not_before", "must be earlier than not_after (" + notAfter + "), got "
                    + notBefore + ": the message could never be sent; move not_before earlier or not_after later"));
        }
    }

    /** Exact lower-case names only: a typo must not silently fall back to the sender's default. */
    private static InDoubtPolicy inDoubt(JsonNode node, List<Problem> problems) {
        if (node == null || node.isNull()) {
            return null;
        }
        Optional<InDoubtPolicy> policy = node.isTextual()
                ? InDoubtPolicy.ofWireName(node.asText()) : Optional.empty();
        if (policy.isEmpty()) {
            problems.add(new Problem("in_doubt", "must be \"park\" (a message whose call may have reached the "
                    + "API without an answer is held for an operator, never sent twice) or \"resend\" (it is sent "
                    + "again and may reach the recipient twice), or left out for the sender's default "
                    + "(send.in.doubt); got "
                    + MessageRules.abbreviate(node.toString())));
        }
        return policy.orElse(null);
    }

    private static String callbackData(JsonNode node, List<Problem> problems) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual() || node.asText().length() > MAX_CALLBACK_DATA) {
            problems.add(new Problem("callback_data", "must be a string of at most " + MAX_CALLBACK_DATA + " characters"));
            return null;
        }
        return node.asText();
    }

    private static JobValidation invalid(ObjectNode root, List<Problem> problems) {
        return invalid(root, problems, null);
    }

    private static JobValidation invalid(ObjectNode root, List<Problem> problems, RecipientList recipients) {
        String jobId = root == null ? null : textOrNull(root.get("job_id"));
        List<JobValidation.Target> targets = recipients == null || jobId == null
                ? List.of() : recipients.targets(jobId);
        return new JobValidation.Invalid(jobId,
                root == null ? null : textOrNull(root.get("campaign_id")),
                root == null ? null : textOrNull(root.get("channel")),
                targets,
                root == null ? null : textOrNull(root.get("callback_data")),
                problems);
    }

    private static String textOrNull(JsonNode node) {
        return node != null && node.isTextual() ? MessageRules.abbreviate(node.asText()) : null;
    }
}
