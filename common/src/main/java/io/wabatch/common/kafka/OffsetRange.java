package io.wabatch.common.kafka;

/** The offsets {@code from} (inclusive) to {@code to} (exclusive) of one partition; never empty. */
record OffsetRange(long from, long to) {

    OffsetRange {
        if (from < 0 || to <= from) {
            throw new IllegalArgumentException("not a range of offsets: [" + from + ", " + to + ")");
        }
    }

    boolean contains(long offset) {
        return offset >= from && offset < to;
    }
}
