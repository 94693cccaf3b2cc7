package io.wabatch.ops.campaign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.wabatch.common.contract.CampaignJob;
import io.wabatch.common.contract.JobValidation;
import io.wabatch.common.contract.JobValidator;
import io.wabatch.common.contract.Json;
import io.wabatch.common.contract.Bsuids;
import io.wabatch.common.contract.PhoneNumbers;
import io.wabatch.common.contract.Placeholders;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns a CSV of recipients and a message spec into the campaign jobs {@code wabatch campaign
 * publish} writes, validating everything first: the CSV (a header; a {@code phone} or {@code to}
 * column and/or a {@code recipient} (or {@code user_id}, {@code bsuid}) column of business-scoped
 * user IDs; every other column a variable for {@code {{name}}} placeholders), every row (a usable
 * international number or a well-formed BSUID, a value for every placeholder the message uses),
 * and every job against the job contract. Problems are reported with their line number; a plan with problems is never published.
 */
public final class CampaignCsv {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:/-]{1,57}");
    private static final Set<String> PHONE_COLUMNS = Set.of("phone", "to");
    private static final Set<String> BSUID_COLUMNS = Set.of("recipient", "user_id", "bsuid");
    /** Problems listed in full; more are counted. */
    static final int MAX_PROBLEMS = 20;

    /** What to publish. */
    public record Spec(String campaign, String channel, ObjectNode message, Instant notBefore, Instant notAfter,
                       int batch) {
    }

    /**
     * The outcome of reading and validating a campaign.
     *
     * @param jobs         the encoded campaign jobs, in order (empty when there are problems)
     * @param rows         data rows read
     * @param recipients   distinct valid recipients
     * @param duplicates   rows dropped as a repeat of an earlier number
     * @param placeholders the variables the message uses
     * @param problems     what is wrong, each with its line ({@code line 7: ...}); at most {@link #MAX_PROBLEMS}
     * @param moreProblems problems found beyond those listed
     * @param phones       the recipients' numbers (E.164 digits) and business-scoped user IDs
     */
    public record Plan(List<byte[]> jobs, int rows, int recipients, int duplicates, Set<String> placeholders,
                       List<String> problems, int moreProblems, Set<String> phones) {
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    private CampaignCsv() {
    }

    /** Reads a message spec file: one WhatsApp message body (without {@code to}). */
    public static ObjectNode message(Path file) throws IOException {
        JsonNode node = Json.mapper().readTree(file.toFile());
        if (node == null || !node.isObject()) {
            throw new IOException(file + ": the message spec must be a JSON object (a WhatsApp message body)");
        }
        return (ObjectNode) node;
    }

    public static Plan plan(Path csv, Spec spec) throws IOException {
        Reading reading = new Reading(Placeholders.fill(spec.message().deepCopy(), Map.of()));
        if (!ID.matcher(spec.campaign()).matches()) {
            reading.problems.add("campaign id '" + spec.campaign() + "' must be 1 to 57 characters of "
                    + "[A-Za-z0-9._:/-] (job ids add '-NNNNNN')");
        }
        CsvMapper mapper = new CsvMapper();
        mapper.enable(CsvParser.Feature.TRIM_SPACES);
        mapper.enable(CsvParser.Feature.FAIL_ON_MISSING_HEADER_COLUMNS);
        try (Reader reader = Files.newBufferedReader(csv, StandardCharsets.UTF_8);
             MappingIterator<Map<String, String>> it = mapper.readerForMapOf(String.class)
                     .with(CsvSchema.emptySchema().withHeader()).readValues(reader)) {
            Reading.Columns columns = reading.header((CsvSchema) it.getParser().getSchema());
            if (columns == null || !reading.problems.isEmpty()) {
                return reading.plan(List.of());
            }
            reading.rows(it, columns);
        }
        if (reading.rows == 0 && reading.problems.isEmpty()) {
            reading.problems.add("the CSV has a header but no recipients");
        }
        List<byte[]> jobs = reading.problems.isEmpty() ? jobs(spec, reading.recipients, reading.problems) : List.of();
        return reading.plan(reading.problems.isEmpty() ? jobs : List.of());
    }

    /** One CSV being read: the recipients so far, and the problems with their line numbers. */
    private static final class Reading {
        final Set<String> placeholders;
        final List<String> problems = new ArrayList<>();
        final List<ObjectNode> recipients = new ArrayList<>();
        final Set<String> seen = new HashSet<>();
        int more;
        int rows;
        int duplicates;

        Reading(Set<String> placeholders) {
            this.placeholders = placeholders;
        }

        /** The recipient columns of the header (a number's, a BSUID's, or both). */
        record Columns(String phone, String bsuid) {
        }

        /** The recipient columns of the header, or null; a placeholder without a column is a problem. */
        Columns header(CsvSchema header) {
            String phoneColumn = null;
            String bsuidColumn = null;
            List<String> columns = new ArrayList<>();
            for (CsvSchema.Column column : header) {
                columns.add(column.getName());
                String name = column.getName().toLowerCase(Locale.ROOT);
                if (phoneColumn == null && PHONE_COLUMNS.contains(name)) {
                    phoneColumn = column.getName();
                } else if (bsuidColumn == null && BSUID_COLUMNS.contains(name)) {
                    bsuidColumn = column.getName();
                }
            }
            if (phoneColumn == null && bsuidColumn == null) {
                problems.add("line 1: the header " + columns + " has no 'phone' (or 'to') column and no 'recipient' "
                        + "(business-scoped user ID) column");
                return null;
            }
            for (String name : placeholders) {
                if (!columns.contains(name)) {
                    problems.add("line 1: the message uses {{" + name + "}} but the header " + columns
                            + " has no such column");
                }
            }
            return new Columns(phoneColumn, bsuidColumn);
        }

        /** Reads every row; a row the CSV parser cannot read ends the reading with its line. */
        void rows(MappingIterator<Map<String, String>> it, Columns columns) {
            while (true) {
                int line = it.getCurrentLocation().getLineNr();
                Map<String, String> row;
                try {
                    if (!it.hasNextValue()) {
                        return;
                    }
                    line = it.getParser().currentLocation().getLineNr();
                    row = it.nextValue();
                } catch (RuntimeException | IOException e) {
                    report("line " + line + ": " + firstLine(e.getMessage()));
                    return;
                }
                rows++;
                row(line, row, columns);
            }
        }

        /**
         * A recipient from one row, unless its number (or BSUID) or a variable is missing, or it
         * repeats a number or BSUID of an earlier row.
         */
        private void row(int line, Map<String, String> row, Columns columns) {
            String phone = columns.phone() == null ? null : blankToNull(row.get(columns.phone()));
            String bsuid = columns.bsuid() == null ? null : blankToNull(row.get(columns.bsuid()));
            if (phone == null && bsuid == null) {
                report("line " + line + ": no number and no business-scoped user ID");
                return;
            }
            PhoneNumbers.Normalised normalised = phone == null ? null : PhoneNumbers.normalise(phone);
            if (normalised != null && !normalised.ok()) {
                report("line " + line + ": the number " + normalised.problem());
                return;
            }
            if (bsuid != null && !Bsuids.isBsuid(bsuid)) {
                report("line " + line + ": '" + Bsuids.mask(bsuid) + "' is not a business-scoped user ID "
                        + "(e.g. US.13491208655302741918)");
                return;
            }
            Map<String, String> vars = new LinkedHashMap<>();
            for (String name : placeholders) {
                String value = row.get(name);
                if (value == null || value.isBlank()) {
                    report("line " + line + ": '" + name + "' is empty, and the message uses {{" + name + "}}");
                } else {
                    vars.put(name, value);
                }
            }
            if (vars.size() < placeholders.size()) {
                return;
            }
            boolean newNumber = normalised == null || seen.add(normalised.digits());
            boolean newUser = bsuid == null || seen.add(bsuid);
            if (!newNumber || !newUser) {
                duplicates++;
                return;
            }
            ObjectNode recipient = Json.mapper().createObjectNode();
            if (normalised != null) {
                recipient.put("to", "+" + normalised.digits());
            }
            if (bsuid != null) {
                recipient.put("recipient", bsuid);
            }
            if (!vars.isEmpty()) {
                ObjectNode values = recipient.putObject("vars");
                vars.forEach(values::put);
            }
            recipients.add(recipient);
        }

        private static String blankToNull(String value) {
            return value == null || value.isBlank() ? null : value.strip();
        }

        private void report(String problem) {
            if (problems.size() < MAX_PROBLEMS) {
                problems.add(problem);
            } else {
                more++;
            }
        }

        Plan plan(List<byte[]> jobs) {
            return new Plan(jobs, rows, recipients.size(), duplicates, placeholders, problems, more,
                    seen);
        }
    }

    private static List<byte[]> jobs(Spec spec, List<ObjectNode> recipients, List<String> problems) {
        JobValidator validator = new JobValidator(Set.of(spec.channel()));
        List<byte[]> jobs = new ArrayList<>();
        for (int from = 0, n = 1; from < recipients.size(); from += spec.batch(), n++) {
            ObjectNode job = Json.mapper().createObjectNode();
            job.put("v", CampaignJob.VERSION);
            job.put("job_id", String.format(Locale.ROOT, "%s-%06d", spec.campaign(), n));
            job.put("campaign_id", spec.campaign());
            job.put("channel", spec.channel());
            ArrayNode list = job.putArray("recipients");
            recipients.subList(from, Math.min(recipients.size(), from + spec.batch())).forEach(list::add);
            job.set("message", spec.message());
            if (spec.notBefore() != null) {
                job.put("not_before", spec.notBefore().toString());
            }
            if (spec.notAfter() != null) {
                job.put("not_after", spec.notAfter().toString());
            }
            byte[] bytes = Json.bytes(job);
            JobValidation validation = validator.validate(bytes);
            if (validation instanceof JobValidation.Invalid invalid) {
                problems.add("job " + job.get("job_id").asText() + " (rows of recipients " + (from + 1) + " to "
                        + (from + list.size()) + "): " + invalid.reason());
                return List.of();
            }
            jobs.add(bytes);
        }
        return jobs;
    }

    private static String firstLine(String message) {
        String text = message == null ? "unreadable" : message;
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }
}
