package io.wabatch.common.contract;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Instants as every wabatch record carries them, {@code 2026-12-01T18:00:00.123Z} (UTC, the fraction
 * in groups of three digits: exactly {@link Instant#toString()} and {@link Instant#parse}), read and
 * written without {@code DateTimeFormatter}, which took 6 % of the sender's CPU at 9,000 msg/s (every
 * ready job carries two or three instants, every result four). Anything else (an offset, a number, a
 * leap second, a year beyond 9999) goes to Jackson's own {@code InstantDeserializer}, so what is
 * accepted is unchanged.
 */
final class IsoInstants {

    /** 0000-01-01T00:00:00Z and 9999-12-31T23:59:59Z: the years written with four digits. */
    private static final long YEAR_0 = -62_167_219_200L;
    private static final long YEAR_9999_END = 253_402_300_799L;
    private static final int[] POW10 = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000};

    private IsoInstants() {
    }

    /** The module: register it after {@code JavaTimeModule}, whose instant handlers it replaces. */
    static SimpleModule module() {
        SimpleModule module = new SimpleModule("wabatch-iso-instants");
        module.addSerializer(Instant.class, new JsonSerializer<>() {
            @Override
            public void serialize(Instant value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
                gen.writeString(format(value));
            }
        });
        module.addDeserializer(Instant.class, new JsonDeserializer<>() {
            @Override
            public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
                if (p.currentToken() == JsonToken.VALUE_STRING) {
                    Instant fast = parse(p.getText());
                    if (fast != null) {
                        return fast;
                    }
                }
                return InstantDeserializer.INSTANT.deserialize(p, ctxt);
            }
        });
        return module;
    }

    /** {@code value} as {@link Instant#toString()} writes it. */
    static String format(Instant value) {
        long seconds = value.getEpochSecond();
        if (seconds < YEAR_0 || seconds > YEAR_9999_END) {
            return value.toString();
        }
        LocalDateTime t = LocalDateTime.ofEpochSecond(seconds, 0, ZoneOffset.UTC);
        char[] out = new char[30];
        int at = digits(out, 0, t.getYear(), 4);
        out[at++] = '-';
        at = digits(out, at, t.getMonthValue(), 2);
        out[at++] = '-';
        at = digits(out, at, t.getDayOfMonth(), 2);
        out[at++] = 'T';
        at = digits(out, at, t.getHour(), 2);
        out[at++] = ':';
        at = digits(out, at, t.getMinute(), 2);
        out[at++] = ':';
        at = digits(out, at, t.getSecond(), 2);
        int nanos = value.getNano();
        if (nanos > 0) {
            out[at++] = '.';
            if (nanos % 1_000_000 == 0) {
                at = digits(out, at, nanos / 1_000_000, 3);
            } else if (nanos % 1_000 == 0) {
                at = digits(out, at, nanos / 1_000, 6);
            } else {
                at = digits(out, at, nanos, 9);
            }
        }
        out[at++] = 'Z';
        return new String(out, 0, at);
    }

    /** {@code text} if it is {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z} with valid fields; else null. */
    static Instant parse(String text) {
        int n = text.length();
        if (n < 20 || n > 30 || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T'
                || text.charAt(13) != ':' || text.charAt(16) != ':' || text.charAt(n - 1) != 'Z') {
            return null;
        }
        int year = number(text, 0, 4);
        int month = number(text, 5, 2);
        int day = number(text, 8, 2);
        int hour = number(text, 11, 2);
        int minute = number(text, 14, 2);
        int second = number(text, 17, 2);
        if (year < 0 || month < 0 || day < 0 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0
                || second > 59) {
            return null;
        }
        int nanos = 0;
        if (n > 20) {
            int fraction = n - 21;
            if (text.charAt(19) != '.' || fraction < 1 || fraction > 9) {
                return null;
            }
            int value = number(text, 20, fraction);
            if (value < 0) {
                return null;
            }
            nanos = value * POW10[9 - fraction];
        }
        try {
            long days = LocalDate.of(year, month, day).toEpochDay();
            return Instant.ofEpochSecond(days * 86_400 + hour * 3_600L + minute * 60L + second, nanos);
        } catch (DateTimeException e) {
            return null;
        }
    }

    /** The decimal number in {@code text[from, from + length)}, or -1 if a character is not a digit. */
    private static int number(String text, int from, int length) {
        int value = 0;
        for (int i = from; i < from + length; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    /** Writes {@code value} as {@code width} digits, zero-padded, at {@code at}; returns the next position. */
    private static int digits(char[] out, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            out[i] = (char) ('0' + value % 10);
            value /= 10;
        }
        return at + width;
    }
}
