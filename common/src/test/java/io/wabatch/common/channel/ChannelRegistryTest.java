package io.wabatch.common.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wabatch.common.api.ApiEndpoint;
import io.wabatch.common.secret.Secret;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChannelRegistryTest {

    @TempDir
    Path dir;

    @Test
    void loadsBothProvidersFromYamlWithDefaults() throws Exception {
        Path secret = Files.writeString(dir.resolve("meta-token"), "token-from-file\n");
        Path file = Files.writeString(dir.resolve("channels.yaml"), """
                channels:
                  - id: acme-de
                    provider: 360dialog
                    base_url: https://waba-v2.360dialog.io
                    credential: env:ACME_DE_KEY
                    partition: 0
                  - id: acme-nl
                    provider: meta
                    base_url: https://graph.facebook.com
                    api_version: v23.0
                    phone_number_id: "106540352242922"
                    waba_id: "102290129340398"
                    credential: file:%s
                    partition: 1
                    mps: 1000
                    headroom: 0.9
                    burst: 50
                    upload_rate: 10
                """.formatted(secret));
        ChannelRegistry registry = ChannelRegistry.load(file, Map.of("ACME_DE_KEY", "key-de")::get);

        Channel de = registry.get("acme-de");
        assertThat(de.mps()).isEqualTo(80);
        assertThat(de.headroom()).as("the default: 2 % for clock jitter, inbound traffic is subtracted as seen")
                .isEqualTo(0.98);
        assertThat(de.burst()).isEqualTo(1);
        assertThat(de.pace()).isCloseTo(78.4, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(de.uploadRate()).isEqualTo(25.0);
        assertThat(de.endpoint().credential().reveal()).isEqualTo("key-de");
        Channel nl = registry.get("acme-nl");
        assertThat(nl.endpoint().credential().reveal()).isEqualTo("token-from-file");
        assertThat(nl.endpoint().messagesPath()).isEqualTo("/v23.0/106540352242922/messages");
        assertThat(registry.requiredPartitions()).isEqualTo(2);
        assertThat(registry.partitions()).containsEntry("acme-de", 0).containsEntry("acme-nl", 1);
    }

    @Test
    void theDefaultHeadroomLeavesTwoPercentOrAtLeastOneMessageASecond() {
        assertThat(Channel.defaultHeadroom(80)).isEqualTo(0.98);
        assertThat(Channel.defaultHeadroom(1_000)).isEqualTo(0.98);
        assertThat(Channel.defaultHeadroom(20)).isEqualTo(0.95);
        for (int mps = 2; mps <= 1_000; mps++) {
            double headroom = Channel.defaultHeadroom(mps);
            assertThat(mps * headroom + Channel.defaultBurst(mps, headroom)).as("%s mps", mps)
                    .isLessThanOrEqualTo(mps + 1e-9);
        }
    }

    @Test
    void rejectsSharedPartitionsAndUnsafePacingListingEveryProblem() {
        assertThatThrownBy(() -> ChannelRegistry.of(List.of(
                channel("a", 0, 80, 0.95, 4),
                channel("b", 0, 80, 0.95, 10),
                channel("a", 1, 80, 1.0, 1))))
                .isInstanceOf(RegistryException.class)
                .satisfies(e -> assertThat(((RegistryException) e).problems()).containsExactlyInAnyOrder(
                        "channel 'b': partition 0 is already owned by channel 'a'; each channel needs its own partition so one sender owns its budget",
                        "channel 'b': burst 10 must be at least 1 and pace (76.0) + burst must not exceed mps 80, or a second could exceed the limit",
                        "channel 'a' is defined twice",
                        "channel 'a': headroom 1.0 must lie between 0 and 1 (default 0.98)"));
    }

    @Test
    void credentialProblemsNameTheReferenceNeverAValue(@TempDir Path tmp) throws Exception {
        Path file = Files.writeString(tmp.resolve("c.yaml"), """
                channels:
                  - id: x
                    provider: 360dialog
                    base_url: https://waba-v2.360dialog.io
                    credential: sk-live-literal-secret
                    partition: 0
                  - id: y
                    provider: meta
                    base_url: https://graph.facebook.com
                    credential: env:MISSING_TOKEN
                    partition: 1
                """);
        assertThatThrownBy(() -> ChannelRegistry.load(file, name -> null))
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining("channels[0] (x): credential must be 'env:VARIABLE' or 'file:/path/to/secret'")
                .hasMessageContaining("channels[1] (y): credential env:MISSING_TOKEN: environment variable is not set")
                .hasMessageNotContaining("sk-live-literal-secret");
    }

    @Test
    void missingFieldsAreNamed(@TempDir Path tmp) throws Exception {
        Path file = Files.writeString(tmp.resolve("c.yaml"), "channels:\n  - id: z\n    provider: meta\n");
        assertThatThrownBy(() -> ChannelRegistry.load(file, name -> null))
                .hasMessageContaining("channels[0] (z): 'base_url' is required")
                .hasMessageContaining("channels[0] (z): 'partition' is required");
    }

    @Test
    void businessSettingsDefaultToAStandaloneNumberWithTheUsMarketingPauseOn(@TempDir Path tmp) throws Exception {
        Path file = Files.writeString(tmp.resolve("c.yaml"), """
                channels:
                  - id: plain
                    provider: 360dialog
                    base_url: https://waba-v2.360dialog.io
                    credential: env:KEY
                    partition: 0
                """);
        Channel plain = ChannelRegistry.load(file, name -> "k").get("plain");
        assertThat(plain.business()).isEqualTo(Channel.Business.DEFAULT);
        assertThat(plain.business().portfolioId()).isNull();
        assertThat(plain.business().marketingMessages()).isFalse();
        assertThat(plain.business().usMarketingPause()).isTrue();
    }

    @Test
    void readsThePortfolioTheMarketingMessagesSwitchAndTheUsMarketingPauseSwitch(@TempDir Path tmp)
            throws Exception {
        Path file = Files.writeString(tmp.resolve("c.yaml"), """
                channels:
                  - id: meta-us
                    provider: meta
                    base_url: https://graph.facebook.com
                    api_version: v23.0
                    phone_number_id: "106540352242922"
                    credential: env:KEY
                    partition: 0
                    portfolio_id: "1234567890"
                    marketing_messages: true
                    us_marketing_pause: false
                  - id: d360-unquoted
                    provider: 360dialog
                    base_url: https://waba-v2.360dialog.io
                    credential: env:KEY
                    partition: 1
                    portfolio_id: 1234567890
                    us_marketing_pause: true
                """);
        ChannelRegistry registry = ChannelRegistry.load(file, name -> "k");

        assertThat(registry.get("meta-us").business()).isEqualTo(new Channel.Business("1234567890", true, false));
        assertThat(registry.get("d360-unquoted").business()).as("an unquoted id is the same portfolio")
                .isEqualTo(new Channel.Business("1234567890", false, true));
    }

    @Test
    void badBusinessSettingsAreNamedWithTheirValues(@TempDir Path tmp) throws Exception {
        Path file = Files.writeString(tmp.resolve("c.yaml"), """
                channels:
                  - id: a
                    provider: 360dialog
                    base_url: https://waba-v2.360dialog.io
                    credential: env:KEY
                    partition: 0
                    marketing_messages: true
                  - id: b
                    provider: meta
                    base_url: https://graph.facebook.com
                    api_version: v23.0
                    phone_number_id: "106540352242922"
                    credential: env:KEY
                    partition: 1
                    marketing_messages: "yes"
                  - id: c
                    provider: 360dialog
                    base_url: https://waba-v2.360dialog.io
                    credential: env:KEY
                    partition: 2
                    us_marketing_pause: off-for-now
                  - id: d
                    provider: 360dialog
                    base_url: https://waba-v2.360dialog.io
                    credential: env:KEY
                    partition: 3
                    portfolio_id: acme-holding
                  - id: e
                    provider: 360dialog
                    base_url: https://waba-v2.360dialog.io
                    credential: env:KEY
                    partition: 4
                    portfolio_id: [1, 2]
                """);
        assertThatThrownBy(() -> ChannelRegistry.load(file, name -> "k"))
                .isInstanceOf(RegistryException.class)
                .satisfies(e -> assertThat(((RegistryException) e).problems()).containsExactlyInAnyOrder(
                        "channels[0] (a): 'marketing_messages' is a setting of Meta numbers; on 360dialog /messages "
                                + "already routes marketing templates through the Marketing Messages API",
                        "channels[1] (b): 'marketing_messages' must be true or false, got \"yes\"",
                        "channels[2] (c): 'us_marketing_pause' must be true or false, got \"off-for-now\"",
                        "channels[3] (d): 'portfolio_id' must be the business portfolio's id (its digits, as in "
                                + "Meta's Business Manager), got \"acme-holding\"",
                        "channels[4] (e): 'portfolio_id' must be the business portfolio's id (its digits, as in "
                                + "Meta's Business Manager), got [1,2]"));
    }

    @Test
    void aPortfoliosNumbersShareItsTierAndMarketingCapAndMustStateTheSame(@TempDir Path tmp) throws Exception {
        String numbers = """
                channels:
                  - id: a
                    provider: 360dialog
                    base_url: https://waba-v2.360dialog.io
                    credential: env:KEY
                    partition: 0
                    portfolio_id: "42"
                    tier: 10
                    marketing_cap: 2
                  - id: b
                    provider: 360dialog
                    base_url: https://waba-v2.360dialog.io
                    credential: env:KEY
                    partition: 1
                    portfolio_id: "42"
                    tier: %s
                    marketing_cap: %s
                  - id: alone
                    provider: 360dialog
                    base_url: https://waba-v2.360dialog.io
                    credential: env:KEY
                    partition: 2
                    tier: 250
                """;
        ChannelRegistry same = ChannelRegistry.load(Files.writeString(tmp.resolve("same.yaml"),
                numbers.formatted("10", "2")), name -> "k");
        assertThat(same.get("a").portfolio()).isEqualTo(same.get("b").portfolio()).isEqualTo("42");
        assertThat(same.get("b").business().marketingCap()).isEqualTo(2);
        assertThat(same.get("alone").portfolio()).as("a number without a portfolio is its own").isEqualTo("channel:alone");
        assertThat(same.get("alone").business().marketingCap()).isNull();

        Path differ = Files.writeString(tmp.resolve("differ.yaml"), numbers.formatted("unlimited", "3"));
        assertThatThrownBy(() -> ChannelRegistry.load(differ, name -> "k"))
                .isInstanceOf(RegistryException.class)
                .satisfies(e -> assertThat(((RegistryException) e).problems()).containsExactlyInAnyOrder(
                        "channel 'b': tier unlimited differs from channel 'a''s 10 in business portfolio 42; the "
                                + "portfolio's numbers share one messaging limit, so give them the same tier",
                        "channel 'b': marketing_cap 3 differs from channel 'a''s 2 in business portfolio 42; the cap "
                                + "is the portfolio's"));
        Path zero = Files.writeString(tmp.resolve("zero.yaml"), numbers.formatted("10", "0"));
        assertThatThrownBy(() -> ChannelRegistry.load(zero, name -> "k")).isInstanceOf(RegistryException.class)
                .hasMessageContaining("channels[1] (b): 'marketing_cap' must be a positive number of marketing "
                        + "templates per user per window, got 0");
    }

    @Test
    void aNumbersDisplayNumberAndHowFarAnUpgradeRaisesIt(@TempDir Path tmp) throws Exception {
        Path file = Files.writeString(tmp.resolve("c.yaml"), """
                channels:
                  - id: meta
                    provider: meta
                    base_url: https://graph.facebook.com
                    api_version: v23.0
                    phone_number_id: "106540352242922"
                    credential: env:KEY
                    partition: 0
                    display_phone_number: "+1 555-078 3881"
                  - id: d360
                    provider: 360dialog
                    base_url: https://waba-v2.360dialog.io
                    credential: env:KEY
                    partition: 1
                  - id: d360-high
                    provider: 360dialog
                    base_url: https://waba-v2.360dialog.io
                    credential: env:KEY
                    partition: 2
                    max_mps: 1000
                """);
        ChannelRegistry registry = ChannelRegistry.load(file, name -> "k");

        assertThat(registry.get("meta").displayPhone()).isEqualTo("15550783881");
        assertThat(registry.get("meta").maxMps()).as("Meta upgrades numbers to 1,000").isEqualTo(1_000);
        assertThat(registry.get("d360").maxMps()).as("360dialog: their plan first").isEqualTo(80);
        assertThat(registry.get("d360-high").maxMps()).isEqualTo(1_000);
        Path bad = Files.writeString(tmp.resolve("bad.yaml"), Files.readString(file).replace("max_mps: 1000",
                "max_mps: 50"));
        assertThatThrownBy(() -> ChannelRegistry.load(bad, name -> "k")).isInstanceOf(RegistryException.class)
                .hasMessageContaining("'max_mps' must be a whole number from the channel's mps (80) to 1000, got 50");
    }

    @Test
    void secretsDoNotLeakThroughToString() {
        Channel c = channel("a", 0, 80, 0.95, 4);
        assertThat(c.toString()).doesNotContain("the-key").contains("[secret]");
    }

    static Channel channel(String id, int partition, int mps, double headroom, int burst) {
        return new Channel(id, ApiEndpoint.d360(URI.create("https://waba-v2.360dialog.io"), Secret.of("the-key")),
                null, partition, mps, headroom, burst, 25);
    }
}
