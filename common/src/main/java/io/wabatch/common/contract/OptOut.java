package io.wabatch.common.contract;

import java.io.IOException;
import java.time.Instant;

/**
 * A customer who does not want marketing messages ({@code wa.optouts}, compacted, key: their number
 * in E.164 digits; a tombstone opts them back in).
 *
 * @param phone  the customer's number; mask it in logs
 * @param source why: {@code inbound:<keyword>} (they replied STOP) or {@code status:131050}
 * @param at     when
 */
public record OptOut(String phone, String source, Instant at) {

    public static OptOut decode(byte[] json) throws IOException {
        return Json.read(json, OptOut.class);
    }
}
