package io.wabatch.sandbox.api;

/**
 * What a {@code message_template_status_update} event does to a template's status in the catalogue (Meta's
 * reference lists the events): PAUSED, DISABLED, REJECTED, PENDING_DELETION, ARCHIVED, DELETED, PENDING, IN_APPEAL
 * and LIMIT_EXCEEDED become that status; APPROVED, REINSTATED and UNARCHIVED make it APPROVED again ("a paused
 * template that recovers comes back as APPROVED"); FLAGGED and LOCKED leave it as it is (FLAGGED: "at risk", still
 * approved).
 */
final class TemplateStatusEvents {

    private TemplateStatusEvents() {
    }

    /** The catalogue status after {@code event}, or null when the event leaves the status alone. */
    static String statusAfter(String event) {
        return switch (event) {
            case "APPROVED", "REINSTATED", "UNARCHIVED" -> "APPROVED";
            case "PAUSED", "DISABLED", "REJECTED", "PENDING_DELETION", "ARCHIVED", "DELETED", "PENDING", "IN_APPEAL",
                    "LIMIT_EXCEEDED" -> event;
            default -> null;
        };
    }

    /**
     * The {@code other_info.title} Meta sends with a pause or unpause: FIRST_PAUSE for PAUSED, UNPAUSE for APPROVED of
     * a paused template; null for every other event (no {@code other_info}).
     */
    static String defaultTitle(String event, String currentStatus) {
        if (event.equals("PAUSED")) {
            return "FIRST_PAUSE";
        }
        return event.equals("APPROVED") && "PAUSED".equals(currentStatus) ? "UNPAUSE" : null;
    }
}
