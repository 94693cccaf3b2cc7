package io.wabatch.common.pace;

import java.time.Duration;

/**
 * What a stream's callers are owed while they wait: since the spell of waiting began, {@code rate}
 * tokens a second, less those granted. A bucket loses the tokens that overflow its burst while its
 * timer fires late; counted here, they are still handed out. Also the sliding second: the times of
 * the last {@code rate + burst} grants, so that no grant, owed or not, makes any one-second window
 * hold more. Times are {@link System#nanoTime()} values passed in. Not thread-safe: the
 * {@link RatePacer}'s context only.
 */
final class OwedTokens {

    /** The most a late loop is owed: tokens due over this long. Older debts are forgiven. */
    static final Duration MAX_OWED = Duration.ofMillis(250);
    private static final long SECOND = 1_000_000_000L;

    private double perSecond;
    private long[] grants;
    private int next;
    private int count;
    private boolean busy;
    private long spellStart;
    private long grantedInSpell;

    OwedTokens(RatePacer.Rate rate) {
        this.perSecond = rate.perSecond();
        this.grants = new long[windowCap(rate)];
    }

    /** Grants allowed in any one second: the bucket's own bound, {@code rate + burst}. */
    static int windowCap(RatePacer.Rate rate) {
        return Math.max(1, (int) Math.floor(rate.perSecond()) + rate.burst());
    }

    /** A caller found no token: a spell of waiting starts, owed from now. */
    void busy(long now) {
        if (!busy) {
            busy = true;
            spellStart = now;
            grantedInSpell = 0;
        }
    }

    /** Nobody waits any more: nothing is owed. */
    void idle() {
        busy = false;
    }

    /** A token went to a caller at {@code now}. */
    void granted(long now) {
        grants[next] = now;
        next = (next + 1) % grants.length;
        count = Math.min(count + 1, grants.length);
        if (busy) {
            grantedInSpell++;
        }
    }

    /** Nanoseconds until the sliding second has room for another grant; 0 when it has. */
    long windowWait(long now) {
        if (count < grants.length) {
            return 0;
        }
        long oldest = grants[next];
        return Math.max(0, oldest + SECOND - now);
    }

    /** Whether a waiting caller is owed a token the bucket lost (the window's room is checked apart). */
    boolean due(long now) {
        if (!busy) {
            return false;
        }
        forgiveOld(now);
        return expected(now) - grantedInSpell >= 1;
    }

    /** Nanoseconds until the next owed token, or {@link Long#MAX_VALUE} when nobody waits. */
    long nanosToNext(long now) {
        if (!busy) {
            return Long.MAX_VALUE;
        }
        double missing = grantedInSpell + 1 - expected(now);
        return missing <= 0 ? 0 : (long) Math.ceil(missing / perSecond * SECOND);
    }

    /** A new rate from now: what was owed at the old rate is settled, the last grants still count. */
    void setRate(RatePacer.Rate rate, long now) {
        perSecond = rate.perSecond();
        long[] resized = new long[windowCap(rate)];
        int keep = Math.min(count, resized.length);
        for (int i = 0; i < keep; i++) {
            resized[keep - 1 - i] = grants[Math.floorMod(next - 1 - i, grants.length)];
        }
        grants = resized;
        count = keep;
        next = keep % resized.length;
        spellStart = now;
        grantedInSpell = 0;
    }

    private double expected(long now) {
        return (now - spellStart) / (double) SECOND * perSecond;
    }

    private void forgiveOld(long now) {
        double maxOwed = Math.max(1, perSecond * MAX_OWED.toNanos() / SECOND);
        double owed = expected(now) - grantedInSpell;
        if (owed > maxOwed) {
            spellStart += (long) ((owed - maxOwed) / perSecond * SECOND);
        }
    }
}
