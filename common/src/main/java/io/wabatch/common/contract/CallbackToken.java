package io.wabatch.common.contract;

/**
 * The sender's correlation token, sent as the API's {@code biz_opaque_callback_data} and echoed
 * in status webhooks: {@code v1|<campaign>|<job>|<generation>}. Ids cannot contain {@code |}, so
 * the token parses back unambiguously. At most 2 × 64 + 5 + 16 bytes, far below the API's 512.
 */
public record CallbackToken(String campaignId, String jobId, int generation) {

    private static final String PREFIX = "v1";

    /** The wire form. */
    public String encode() {
        return PREFIX + "|" + campaignId + "|" + jobId + "|" + generation;
    }

    /** Parses a token; returns null for anything that is not a wabatch v1 token. */
    public static CallbackToken parse(String token) {
        if (token == null) {
            return null;
        }
        String[] parts = token.split("\\|", -1);
        if (parts.length != 4 || !parts[0].equals(PREFIX)) {
            return null;
        }
        try {
            return new CallbackToken(parts[1], parts[2], Integer.parseInt(parts[3]));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
