package io.wabatch.common.contract;

import java.util.HashSet;
import java.util.Set;

/** The WhatsApp message types a job may carry, and the bounded form of a type for a metric tag. */
public final class MessageTypes {

    /** Every message type a campaign job may have. */
    public static final Set<String> ALL = MessageRules.TYPES;
    /** A message whose type could not be read. */
    public static final String UNKNOWN = "unknown";
    /** A type that is not one of {@link #ALL} (a ready job can be written by anyone). */
    public static final String OTHER = "other";
    /** Every value {@link #bounded} returns. */
    public static final Set<String> TAG_VALUES = tagValues();

    private MessageTypes() {
    }

    /** {@code type} if it is a known message type, {@value #UNKNOWN} for null or empty, else {@value #OTHER}. */
    public static String bounded(String type) {
        if (type == null || type.isEmpty() || type.equals(UNKNOWN)) {
            return UNKNOWN;
        }
        return ALL.contains(type) ? type : OTHER;
    }

    private static Set<String> tagValues() {
        Set<String> values = new HashSet<>(ALL);
        values.add(UNKNOWN);
        values.add(OTHER);
        return Set.copyOf(values);
    }
}
