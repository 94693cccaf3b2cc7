package io.wabatch.sandbox.api;

/** When an injected fault strikes a {@code POST /messages} request. */
public enum FaultMode {
    /** Before the request is validated or recorded: nothing is accepted, nothing counts but the fault. */
    BEFORE_ACCEPT,
    /**
     * After the message is accepted and recorded (it counts in {@code accepted}, {@code duplicates}, ...):
     * only the answer is lost. Requests the rules reject are answered normally.
     */
    AFTER_ACCEPT;

    /** The JSON spelling: {@code before_accept} or {@code after_accept}. */
    public String jsonName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Parses the JSON spelling (case-insensitive). */
    public static FaultMode fromJson(String text) {
        for (FaultMode mode : values()) {
            if (mode.jsonName().equalsIgnoreCase(text)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("faults.mode must be before_accept or after_accept, got '" + text + "'");
    }
}
