package io.wabatch.sender;

import io.wabatch.common.contract.CallbackToken;
import io.wabatch.common.contract.JobResult;
import io.wabatch.common.contract.Outcome;
import io.wabatch.sandbox.api.stats.AcceptedMessage;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What became of every job of one campaign, judged from outside the sender: every result it wrote to
 * {@code wa.results} (in the order written) and every message the sandbox accepted (by callback token).
 *
 * <p>A job's <b>final</b> outcome is its last result that is not {@code duplicate_suppressed}: a
 * suppressed result only says that a redelivered copy was recognised as finished before, so it must
 * follow a result that says how it finished. A job is <b>lost</b> when it has no result at all, or only
 * {@code duplicate_suppressed} ones (the ledger knew it, but no result ever said accepted or parked).
 *
 * @param jobs              the campaign's job ids
 * @param finals            job id → final outcome, for every job that is not lost
 * @param finalResults      job id → the final result itself
 * @param lost              jobs without a final outcome
 * @param reported          jobs that got any {@code parked} result with error code {@code in_doubt}
 * @param suppressed        jobs that got at least one {@code duplicate_suppressed} result
 * @param redecided         jobs with more than one result that is not {@code duplicate_suppressed}
 * @param resultRecords     result records of the campaign, all of them
 * @param acceptedTokens    job id → how many times the sandbox accepted its token (generation 1)
 * @param foreignTokens     tokens the sandbox accepted that name no job of the campaign
 */
record CampaignAudit(Set<String> jobs, Map<String, Outcome> finals, Map<String, JobResult> finalResults,
                     Set<String> lost, Set<String> reported, Set<String> suppressed, Set<String> redecided,
                     int resultRecords, Map<String, Integer> acceptedTokens, Set<String> foreignTokens) {

    static CampaignAudit of(String campaign, Collection<String> jobIds, Map<String, List<JobResult>> history,
                            List<AcceptedMessage> accepted) {
        Set<String> jobs = Set.copyOf(jobIds);
        Map<String, Outcome> finals = new HashMap<>();
        Map<String, JobResult> finalResults = new HashMap<>();
        Set<String> lost = new HashSet<>();
        Set<String> reported = new HashSet<>();
        Set<String> suppressed = new HashSet<>();
        Set<String> redecided = new HashSet<>();
        int records = 0;
        for (String job : jobs) {
            List<JobResult> results = history.getOrDefault(job, List.of());
            records += results.size();
            JobResult last = null;
            int decisions = 0;
            for (JobResult result : results) {
                if (result.outcome() == Outcome.DUPLICATE_SUPPRESSED) {
                    suppressed.add(job);
                    continue;
                }
                decisions++;
                last = result;
                if (result.outcome() == Outcome.PARKED && result.error() != null
                        && "in_doubt".equals(result.error().code())) {
                    reported.add(job);
                }
            }
            if (last == null) {
                lost.add(job);
            } else {
                finals.put(job, last.outcome());
                finalResults.put(job, last);
            }
            if (decisions > 1) {
                redecided.add(job);
            }
        }
        Map<String, Integer> tokens = new HashMap<>();
        Set<String> foreign = new HashSet<>();
        for (AcceptedMessage message : accepted) {
            CallbackToken token = CallbackToken.parse(message.callback());
            if (token != null && token.campaignId().equals(campaign) && token.generation() == 1
                    && jobs.contains(token.jobId())) {
                tokens.merge(token.jobId(), 1, Integer::sum);
            } else {
                foreign.add(String.valueOf(message.callback()));
            }
        }
        return new CampaignAudit(jobs, finals, finalResults, lost, reported, suppressed, redecided, records, tokens,
                foreign);
    }

    /** How many jobs ended with each final outcome, plus {@code lost}; for the figures log. */
    Map<String, Long> finalCounts() {
        Map<Outcome, Long> counts = new EnumMap<>(Outcome.class);
        finals.values().forEach(o -> counts.merge(o, 1L, Long::sum));
        Map<String, Long> named = new TreeMap<>();
        counts.forEach((outcome, n) -> named.put(outcome.wireName(), n));
        named.put("lost", (long) lost.size());
        return named;
    }

    /** Jobs whose final outcome is {@code outcome}. */
    Set<String> withFinal(Outcome outcome) {
        Set<String> matching = new HashSet<>();
        finals.forEach((job, o) -> {
            if (o == outcome) {
                matching.add(job);
            }
        });
        return matching;
    }

    /** Jobs whose token the sandbox accepted more than once. */
    Set<String> acceptedTwice() {
        Set<String> twice = new HashSet<>();
        acceptedTokens.forEach((job, n) -> {
            if (n > 1) {
                twice.add(job);
            }
        });
        return twice;
    }

    /** Jobs whose token the sandbox accepted at least once. */
    Set<String> acceptedByApi() {
        return acceptedTokens.keySet();
    }

    /** The whole picture in one line for the figures log. */
    String describe() {
        return "final " + finalCounts() + ", " + resultRecords + " result records, " + suppressed.size()
                + " jobs suppressed at least once, " + reported.size() + " reported in doubt, " + redecided.size()
                + " decided twice, API accepted " + acceptedTokens.size() + " jobs (" + acceptedTwice().size()
                + " twice)";
    }
}
