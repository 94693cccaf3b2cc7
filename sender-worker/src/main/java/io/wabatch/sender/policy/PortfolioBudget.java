package io.wabatch.sender.policy;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeSet;

/**
 * The budgets a business portfolio's numbers share (issue 18): its messaging tier (unique users reached
 * by business-initiated messages in a rolling window, 24 h) and, when set, a per-user marketing cap (at
 * most N marketing templates per user in a rolling window, across campaigns).
 *
 * <p>A pure state machine over the portfolio claims log ({@code wa.portfolio.claims}): every sender
 * applies the same records in the same order, and every decision depends only on the records (their
 * limits, windows and times travel in them), so all senders reach the same verdict for each claim
 * without talking to each other — the numbers of one portfolio may be owned by different senders. A
 * claim that is granted counts at once; a denied one counts nothing. Not thread-safe: one thread applies.
 */
public final class PortfolioBudget {

    /** Why a claim waits. */
    public static final String TIER = "tier";
    public static final String MARKETING_CAP = "marketing_cap";

    /**
     * One record of the claims log.
     *
     * @param kind           {@value #CLAIM} (a message asks for its places) or {@value #ACCEPTED} (the API
     *                       accepted a message of a counted user: its tier place counts from then)
     * @param id             the claim's id, to match the verdict with the message waiting for it: the same for every
     *                       claim of one message (its job and generation), so asking again counts nothing new
     * @param portfolio      the portfolio ({@link io.wabatch.common.channel.Channel#portfolio()})
     * @param person         the user, by phone number when known, else by business-scoped user ID
     * @param tier           the portfolio's tier, when the message is business-initiated and counts against it
     * @param tierWindowMs   the tier's rolling window
     * @param cap            the per-user marketing cap, when the message is a marketing template and a cap is set
     * @param capWindowMs    the cap's rolling window
     * @param at             when the claim was made (or the message accepted)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Entry(String kind, String id, String portfolio, String person, Integer tier, Long tierWindowMs,
                        Integer cap, Long capWindowMs, Instant at) {

        public static final String CLAIM = "claim";
        public static final String ACCEPTED = "accepted";

        /** A claim for a message; {@code tier} and {@code cap} null where they do not apply. */
        public static Entry claim(String id, String portfolio, String person, Integer tier, Duration tierWindow,
                                  Integer cap, Duration capWindow, Instant at) {
            return new Entry(CLAIM, id, portfolio, person, tier, tier == null ? null : tierWindow.toMillis(), cap,
                    cap == null ? null : capWindow.toMillis(), at);
        }

        public static Entry accepted(String portfolio, String person, Instant at) {
            return new Entry(ACCEPTED, null, portfolio, person, null, null, null, null, at);
        }
    }

    /**
     * A claim's verdict.
     *
     * @param granted  true when the message may go (its places are counted)
     * @param reason   why it may not: {@value #TIER} or {@value #MARKETING_CAP}; null when granted
     * @param freeAt   when a place frees up (the oldest counted entry leaves its window); null when granted
     */
    public record Verdict(boolean granted, String reason, Instant freeAt) {

        static final Verdict GRANTED = new Verdict(true, null, null);
    }

    /** The users counted against one portfolio's tier, by the time each counts from, oldest first. */
    private static final class Tier {
        private final Map<String, Long> since = new HashMap<>();
        private final TreeSet<Counted> byTime = new TreeSet<>();

        void expire(long cutoff) {
            while (!byTime.isEmpty() && byTime.first().at <= cutoff) {
                since.remove(byTime.pollFirst().person);
            }
        }

        void count(String person, long at) {
            Long before = since.get(person);
            if (before != null && before >= at) {
                return;
            }
            if (before != null) {
                byTime.remove(new Counted(before, person));
            }
            since.put(person, at);
            byTime.add(new Counted(at, person));
        }
    }

    private record Counted(long at, String person) implements Comparable<Counted> {
        @Override
        public int compareTo(Counted o) {
            int byTime = Long.compare(at, o.at);
            return byTime != 0 ? byTime : person.compareTo(o.person);
        }
    }

    /** A counted marketing template: the claim that counted it (one message's claims share an id) and when. */
    private record Template(String id, long at) {
    }

    private final Map<String, Tier> tiers = new HashMap<>();
    /** Portfolio → person → their counted marketing templates, oldest first. */
    private final Map<String, Map<String, Deque<Template>>> marketing = new HashMap<>();
    /** Portfolio → the claim time of its last sweep of users whose templates all left the window. */
    private final Map<String, Long> swept = new HashMap<>();

    /** Applies one record of the log; for a claim, its verdict (null for other records). */
    public Verdict apply(Entry entry) {
        if (Entry.ACCEPTED.equals(entry.kind())) {
            Tier tier = tiers.get(entry.portfolio());
            if (tier != null && tier.since.containsKey(entry.person())) {
                tier.count(entry.person(), entry.at().toEpochMilli());
            }
            return null;
        }
        if (!Entry.CLAIM.equals(entry.kind())) {
            return null;
        }
        long at = entry.at().toEpochMilli();
        Tier tier = null;
        if (entry.tier() != null) {
            tier = tiers.computeIfAbsent(entry.portfolio(), p -> new Tier());
            tier.expire(at - entry.tierWindowMs());
            if (!tier.since.containsKey(entry.person()) && tier.since.size() >= entry.tier()) {
                return new Verdict(false, TIER, Instant.ofEpochMilli(tier.byTime.first().at + entry.tierWindowMs()));
            }
        }
        Deque<Template> sent = null;
        if (entry.cap() != null) {
            Map<String, Deque<Template>> users = marketing.computeIfAbsent(entry.portfolio(), p -> new HashMap<>());
            sweep(entry.portfolio(), users, at, entry.capWindowMs());
            sent = users.computeIfAbsent(entry.person(), p -> new ArrayDeque<>());
            expire(sent, at - entry.capWindowMs());
            if (entry.id() != null && sent.stream().anyMatch(t -> entry.id().equals(t.id()))) {
                // The same message asking again (a retry, a resume, a claim whose verdict came late): already counted.
                if (tier != null) {
                    tier.count(entry.person(), at);
                }
                return Verdict.GRANTED;
            }
            if (sent.size() >= entry.cap()) {
                return new Verdict(false, MARKETING_CAP,
                        Instant.ofEpochMilli(sent.peekFirst().at() + entry.capWindowMs()));
            }
        }
        if (tier != null) {
            tier.count(entry.person(), at);
        }
        if (sent != null) {
            sent.addLast(new Template(entry.id(), at));
        }
        return Verdict.GRANTED;
    }

    /** Users counted against the portfolio's tier within the window ending at {@code now}. */
    public int tierUsed(String portfolio, Duration window, Instant now) {
        Tier tier = tiers.get(portfolio);
        if (tier == null) {
            return 0;
        }
        tier.expire(now.toEpochMilli() - window.toMillis());
        return tier.since.size();
    }

    /** Marketing templates counted for the person within the window ending at {@code now}. */
    public int marketingCount(String portfolio, String person, Duration window, Instant now) {
        Deque<Template> sent = marketing.getOrDefault(portfolio, Map.of()).get(person);
        if (sent == null) {
            return 0;
        }
        expire(sent, now.toEpochMilli() - window.toMillis());
        return sent.size();
    }

    private static void expire(Deque<Template> times, long cutoff) {
        while (!times.isEmpty() && times.peekFirst().at() <= cutoff) {
            times.pollFirst();
        }
    }

    /**
     * Once a window (by the claims' own times), forgets the portfolio's users whose templates all left it: a
     * user never claimed again would stay otherwise. Only entries the verdicts no longer count are removed.
     */
    private void sweep(String portfolio, Map<String, Deque<Template>> users, long at, long windowMs) {
        Long last = swept.putIfAbsent(portfolio, at);
        if (last == null || at - last < windowMs) {
            return;
        }
        swept.put(portfolio, at);
        for (Iterator<Deque<Template>> it = users.values().iterator(); it.hasNext(); ) {
            Deque<Template> times = it.next();
            expire(times, at - windowMs);
            if (times.isEmpty()) {
                it.remove();
            }
        }
    }
}
