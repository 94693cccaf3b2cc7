package io.wabatch.sandbox.api;

/**
 * The person a message or an inbound message is about.
 *
 * @param digits their phone digits ({@code wa_id}), or {@code null} for a user who hides their phone (a username
 *               user known only by a BSUID the sandbox never issued)
 * @param userId their business-scoped user ID for the number's business (or the parent BSUID the message named)
 */
record Recipient(String digits, String userId) {

    /**
     * What the pair limit, duplicate bodies, the 24-hour window and the messaging limit count: the phone digits,
     * or the BSUID of a username user.
     */
    String key() {
        return digits != null ? digits : userId;
    }
}
