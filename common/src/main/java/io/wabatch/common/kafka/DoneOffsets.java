package io.wabatch.common.kafka;

import java.util.ArrayList;
import java.util.List;

/**
 * The records above a partition's committed offset that are already done, written into the
 * {@code metadata} string of the commit so that the next owner of the partition skips them.
 *
 * <p>Format: {@value #PREFIX} followed by comma-separated run lengths in base 36, alternately not done
 * and done, starting at the committed offset and ending with a done run: {@code wabatch-done-v1:1,a,2,1}
 * after committing offset 100 means 100 not done, 101–110 done, 111–112 not done, 113 done. Nothing done
 * is the empty string. Offsets that are no records (transaction markers, compacted or aborted records)
 * may be counted either way: the consumer never returns them.
 *
 * <p>The broker refuses metadata longer than {@code offset.metadata.max.bytes} ({@value #MAX_LENGTH} by
 * default, and all this codec's characters are single bytes). Alternating single offsets cost two
 * characters per record: a window of 512 records in flight needs about 2 KB. Pure functions.
 */
final class DoneOffsets {

    /** Marks metadata written by this codec, version 1. */
    static final String PREFIX = "wabatch-done-v1:";
    /** The broker's default {@code offset.metadata.max.bytes}; wabatch never writes longer metadata. */
    static final int MAX_LENGTH = 4096;

    private DoneOffsets() {
    }

    /**
     * The whole done set as metadata, whatever its length.
     *
     * @param done sorted, disjoint ranges above {@code committed}
     */
    static String encode(long committed, List<OffsetRange> done) {
        return encode(committed, done, Integer.MAX_VALUE);
    }

    /**
     * The longest prefix of the done set whose metadata is at most {@code maxLength} characters: the
     * highest done ranges are dropped first (their records are redelivered).
     */
    static String encode(long committed, List<OffsetRange> done, int maxLength) {
        if (done.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder(PREFIX);
        long position = committed;
        for (OffsetRange range : done) {
            if (range.from() < position || (range.from() == position && position != committed)) {
                throw new IllegalArgumentException("done ranges must be sorted, apart and at or above the "
                        + "committed offset " + committed + ": " + done);
            }
            String pair = (position == committed ? "" : ",") + Long.toString(range.from() - position, 36) + ","
                    + Long.toString(range.to() - range.from(), 36);
            if (out.length() + pair.length() > maxLength) {
                break;
            }
            out.append(pair);
            position = range.to();
        }
        return out.length() == PREFIX.length() ? "" : out.toString();
    }

    /**
     * The done ranges that {@code metadata} committed with {@code committed} names.
     *
     * @throws IllegalArgumentException when the metadata is not empty and not of this format (written by
     *                                  another tool, or a later version)
     */
    static List<OffsetRange> decode(long committed, String metadata) {
        if (metadata == null || metadata.isEmpty()) {
            return List.of();
        }
        if (!metadata.startsWith(PREFIX)) {
            throw new IllegalArgumentException("not wabatch's done offsets");
        }
        String[] runs = metadata.substring(PREFIX.length()).split(",", -1);
        if (runs.length % 2 != 0) {
            throw new IllegalArgumentException("an odd number of runs");
        }
        List<OffsetRange> done = new ArrayList<>(runs.length / 2);
        long position = committed;
        try {
            for (int i = 0; i < runs.length; i += 2) {
                long notDone = run(runs[i]);
                long length = run(runs[i + 1]);
                if (length == 0 || (notDone == 0 && i > 0)) {
                    throw new IllegalArgumentException("an empty run");
                }
                long from = Math.addExact(position, notDone);
                position = Math.addExact(from, length);
                done.add(new OffsetRange(from, position));
            }
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("offsets beyond the largest", e);
        }
        return done;
    }

    private static long run(String digits) {
        // Long.parseLong accepts a sign: runs never have one.
        if (digits.isEmpty() || digits.charAt(0) == '-' || digits.charAt(0) == '+') {
            throw new IllegalArgumentException("not a run length: '" + digits + "'");
        }
        try {
            return Long.parseLong(digits, 36);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a run length: '" + digits + "'", e);
        }
    }
}
