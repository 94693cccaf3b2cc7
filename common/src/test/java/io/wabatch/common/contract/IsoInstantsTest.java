package io.wabatch.common.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonMappingException;
import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IsoInstantsTest {

    private record Stamped(Instant at) {
    }

    @Test
    void writesAndReadsExactlyWhatInstantToStringAndParseDo() {
        SplittableRandom random = new SplittableRandom(7);
        long max = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
        long min = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
        for (int i = 0; i < 100_000; i++) {
            int nanos = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1_000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1_000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant instant = Instant.ofEpochSecond(random.nextLong(min, max + 1), nanos);
            String text = IsoInstants.format(instant);
            assertThat(text).isEqualTo(instant.toString());
            assertThat(IsoInstants.parse(text)).isEqualTo(instant);
        }
    }

    @Test
    void instantsBeyondFourDigitYearsAreWrittenAsInstantWritesThem() {
        for (Instant edge : new Instant[] {Instant.MIN, Instant.MAX, Instant.parse("-0001-12-31T23:59:59Z"),
                Instant.parse("+10000-01-01T00:00:00Z"), Instant.parse("0000-01-01T00:00:00Z"),
                Instant.parse("9999-12-31T23:59:59.999999999Z")}) {
            assertThat(IsoInstants.format(edge)).isEqualTo(edge.toString());
        }
    }

    @Test
    void roundTripsThroughTheSharedMapper() throws Exception {
        Instant now = Instant.parse("2026-12-07T01:23:45.678Z");
        byte[] json = Json.bytes(new Stamped(now));
        assertThat(new String(json, java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("{\"at\":\"2026-12-07T01:23:45.678Z\"}");
        assertThat(Json.read(json, Stamped.class).at()).isEqualTo(now);
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-12-07T01:23:45+01:00", "2026-12-07T01:23:60Z", "+10000-01-01T00:00:00Z",
            "2026-12-07T01:23:45.1234567891Z", "2026-12-07 01:23:45Z", "2026-12-07T01:23Z", "2026-13-07T01:23:45Z"})
    void leavesEveryOtherFormToJacksonsParser(String text) {
        assertThat(IsoInstants.parse(text)).isNull();
    }

    @Test
    void aDateThatDoesNotExistIsStillRejected() {
        assertThat(IsoInstants.parse("2026-02-30T00:00:00Z")).isNull();
        assertThatThrownBy(() -> Json.read("{\"at\":\"2026-02-30T00:00:00Z\"}".getBytes(), Stamped.class))
                .isInstanceOf(JsonMappingException.class);
    }

    @Test
    void anOffsetIsReadAsJacksonReadsIt() throws Exception {
        assertThat(Json.read("{\"at\":\"2026-12-07T01:23:45+01:00\"}".getBytes(), Stamped.class).at())
                .isEqualTo(Instant.parse("2026-12-07T00:23:45Z"));
    }
}
