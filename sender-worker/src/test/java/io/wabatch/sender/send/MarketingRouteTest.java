package io.wabatch.sender.send;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wabatch.common.api.ApiEndpoint;
import io.wabatch.common.api.ApiError;
import io.wabatch.common.channel.Channel;
import io.wabatch.common.channel.ChannelRegistry;
import io.wabatch.common.contract.Json;
import io.wabatch.common.contract.ReadyJob;
import io.wabatch.common.control.CampaignPolicy;
import io.wabatch.common.secret.Secret;
import io.wabatch.sender.ReadyJobs;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class MarketingRouteTest {

    private static final Channel MM = channel("mm", 0, true);
    private static final Channel PLAIN = channel("plain", 1, false);
    private static final CampaignPolicy UTILITY = new CampaignPolicy("utility", null, null, null);

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-07T10:00:00Z"));
    private final MarketingRoute route = new MarketingRoute(ChannelRegistry.of(List.of(MM, PLAIN)), Duration.ofHours(1),
            new java.time.Clock() {
                @Override
                public java.time.ZoneId getZone() {
                    return ZoneOffset.UTC;
                }

                @Override
                public java.time.Clock withZone(java.time.ZoneId zone) {
                    return this;
                }

                @Override
                public Instant instant() {
                    return now.get();
                }
            });

    @Test
    void marketingTemplatesOfAMarketingMessagesNumberGoByTheMarketingMessagesApi() {
        assertThat(route.marketing(template("mm"), CampaignPolicy.DEFAULT)).isTrue();
        assertThat(route.marketing(template("plain"), CampaignPolicy.DEFAULT)).as("the switch is off").isFalse();
        assertThat(route.marketing(template("mm"), UTILITY)).as("a utility campaign").isFalse();
        assertThat(route.marketing(ReadyJobs.text("c", "j", "mm", "4915123456789"), CampaignPolicy.DEFAULT))
                .as("not a template").isFalse();
    }

    @Test
    void theTermsAnswerFallsTheNumberBackUntilTheRetryTime() {
        assertThat(route.fallBack("mm", error(131009))).as("another refusal is the message's own").isFalse();
        assertThat(route.marketing(template("mm"), CampaignPolicy.DEFAULT)).isTrue();

        assertThat(route.fallBack("mm", error(200))).isTrue();
        assertThat(route.marketing(template("mm"), CampaignPolicy.DEFAULT)).isFalse();
        now.set(now.get().plus(Duration.ofMinutes(59)));
        assertThat(route.marketing(template("mm"), CampaignPolicy.DEFAULT)).isFalse();
        now.set(now.get().plus(Duration.ofMinutes(1)));
        assertThat(route.marketing(template("mm"), CampaignPolicy.DEFAULT)).as("tried again after 1 h").isTrue();

        assertThat(route.fallBack("mm", error(200))).isTrue();
        route.termsAccepted("mm");
        assertThat(route.marketing(template("mm"), CampaignPolicy.DEFAULT)).as("the terms were accepted").isTrue();
    }

    @Test
    void aTemplateTheMarketingMessagesApiDoesNotTakeGoesByMessagesAloneTheNumberStays() {
        assertThat(route.fallBack("mm", error(131055))).as("this message by /messages").isTrue();
        assertThat(route.marketing(template("mm"), CampaignPolicy.DEFAULT)).as("the next one still by the API").isTrue();
    }

    private static ReadyJob template(String channel) {
        ObjectNode message = Json.mapper().createObjectNode().put("type", "template");
        message.putObject("template").put("name", "spring_sale").putObject("language").put("code", "en_US");
        return ReadyJobs.job("c", "j", channel, "4915123456789", message, List.of(), 1);
    }

    private static ApiError error(int code) {
        return new ApiError(code == 200 ? 403 : 400, code, null, "refused", "details", null, false);
    }

    private static Channel channel(String id, int partition, boolean marketingMessages) {
        return new Channel(id, ApiEndpoint.meta(URI.create("http://127.0.0.1:1"), "v23.0", "10" + partition,
                Secret.of("t")), null, partition, 80, 0.95, 1, 25.0, null,
                new Channel.Business(null, marketingMessages, true));
    }
}
