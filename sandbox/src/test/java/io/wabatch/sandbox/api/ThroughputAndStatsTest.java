package io.wabatch.sandbox.api;

import static io.wabatch.sandbox.api.TestSandbox.META_ID;
import static io.wabatch.sandbox.api.TestSandbox.json;
import static io.wabatch.sandbox.api.TestSandbox.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.wabatch.sandbox.api.RawHttp.Response;
import io.wabatch.sandbox.api.stats.AcceptedMessage;
import io.wabatch.sandbox.api.stats.StatsSnapshot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Per-number throughput (130429), the recorded stats, and the admin endpoints. */
@Timeout(60)
class ThroughputAndStatsTest {

    private static TestSandbox sandbox;

    @BeforeAll
    static void start() {
        sandbox = TestSandbox.start();
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    @BeforeEach
    void reset() {
        sandbox.reset();
    }

    @Test
    void overTheMpsLimitIs130429AndNoSecondAcceptsMore() {
        sandbox.server.setMps(META_ID, 5);

        List<Response> responses = IntStream.range(0, 20)
                .mapToObj(i -> sandbox.sendMeta(text("+4915112345678", "m" + i))).toList();

        long accepted = responses.stream().filter(r -> r.status() == 200).count();
        List<Response> limited = responses.stream().filter(r -> r.status() != 200).toList();
        assertThat(limited).isNotEmpty().allSatisfy(r -> {
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.code()).isEqualTo(130429);
            assertThat(r.message()).isEqualTo("(#130429) Rate limit hit");
        });
        StatsSnapshot stats = sandbox.server.stats(META_ID);
        assertThat(stats.accepted()).isEqualTo(accepted).isGreaterThanOrEqualTo(5);
        assertThat(stats.peakPerSecond()).isLessThanOrEqualTo(5);
        assertThat(stats.rejectedByCode()).containsEntry(130429, (long) limited.size());
        Map<Long, Long> bySecond = sandbox.server.messages(META_ID).stream()
                .collect(Collectors.groupingBy(m -> m.receivedAtMs() / 1000, Collectors.counting()));
        assertThat(bySecond.values()).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(5));
    }

    @Test
    void rateLimitStatusCanBe429() {
        try (TestSandbox strict = TestSandbox.start(b -> b.rateLimitHttpStatus(429))) {
            strict.server.setMps(META_ID, 1);

            List<Response> responses = IntStream.range(0, 4)
                    .mapToObj(i -> strict.sendMeta(text("+4915112345678", "m" + i))).toList();

            assertThat(responses).anySatisfy(r -> {
                assertThat(r.status()).isEqualTo(429);
                assertThat(r.code()).isEqualTo(130429);
            });
        }
    }

    @Test
    void mpsIsChangeableAtRuntimeThroughTheAdminEndpoint() {
        Response changed = sandbox.admin("PUT", "/_sandbox/numbers/" + META_ID, "{\"mps\": 2}");
        Response badBody = sandbox.admin("PUT", "/_sandbox/numbers/" + META_ID, "{\"mps\": 0}");
        Response unknown = sandbox.admin("PUT", "/_sandbox/numbers/nope", "{\"mps\": 3}");

        assertThat(changed.status()).isEqualTo(200);
        assertThat(badBody.status()).isEqualTo(400);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(sandbox.server.mps(META_ID)).isEqualTo(2);
        assertThat(sandbox.admin("GET", "/_sandbox/stats", null).json()
                .at("/numbers/" + META_ID + "/mps").asInt()).isEqualTo(2);
        IntStream.range(0, 8).forEach(i -> sandbox.sendMeta(text("+4915112345678", "m" + i)));
        assertThat(sandbox.server.stats(META_ID).peakPerSecond()).isLessThanOrEqualTo(2);
    }

    @Test
    void sameCallbackTokenTwiceCountsOneDuplicate() {
        String body = json("{'messaging_product':'whatsapp','to':'4915112345678','text':{'body':'hi'},"
                + "'biz_opaque_callback_data':'v1|spring|job-1|0'}");
        String otherBodySameToken = json("{'messaging_product':'whatsapp','to':'4915112345678','text':"
                + "{'body':'other'},'biz_opaque_callback_data':'v1|spring|job-1|0'}");

        sandbox.sendMeta(body);
        sandbox.sendMeta(body);
        sandbox.sendMeta(otherBodySameToken);

        StatsSnapshot stats = sandbox.server.stats(META_ID);
        assertThat(stats.accepted()).isEqualTo(3);
        assertThat(stats.duplicates()).isEqualTo(2);
        assertThat(stats.duplicateBodies()).isEqualTo(1);
    }

    @Test
    void sameBodyAndRecipientWithDifferentTokensCountsADuplicateBody() {
        sandbox.sendMeta(json("{'messaging_product':'whatsapp','to':'+49 151 12345678','type':'image',"
                + "'image':{'link':'https://x.org/a.jpg','caption':'c'},'biz_opaque_callback_data':'v1|c|j|0'}"));
        sandbox.sendMeta(json("{'image':{'caption':'c','link':'https://x.org/a.jpg'},'type':'image',"
                + "'to':'4915112345678','messaging_product':'whatsapp','biz_opaque_callback_data':'v1|c|j|1'}"));
        sandbox.sendMeta(json("{'messaging_product':'whatsapp','to':'4915199999999','type':'image',"
                + "'image':{'link':'https://x.org/a.jpg','caption':'c'}}"));

        StatsSnapshot stats = sandbox.server.stats(META_ID);
        assertThat(stats.accepted()).isEqualTo(3);
        assertThat(stats.duplicates()).isZero();
        assertThat(stats.duplicateBodies()).isEqualTo(1);
    }

    @Test
    void perSecondSpansFirstToLastAcceptedSecondWithZeros() {
        sandbox.sendMeta(text("4915112345678", "first"));
        long first = sandbox.server.messages(META_ID).get(0).receivedAtMs() / 1000;
        await("two seconds pass").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                .until(() -> System.currentTimeMillis() / 1000 >= first + 2);
        sandbox.sendMeta(text("4915112345678", "second"));

        JsonNode perSecond = sandbox.admin("GET", "/_sandbox/stats", null).json()
                .at("/numbers/" + META_ID + "/per_second");

        assertThat(perSecond.size()).isGreaterThanOrEqualTo(3);
        assertThat(perSecond.get(0).get("second").asLong()).isEqualTo(first);
        assertThat(perSecond.get(1).get("accepted").asLong()).isZero();
        for (int i = 1; i < perSecond.size(); i++) {
            assertThat(perSecond.get(i).get("second").asLong()).isEqualTo(first + i);
        }
        assertThat(perSecond.get(perSecond.size() - 1).get("accepted").asLong()).isEqualTo(1);
    }

    @Test
    void statsEndpointHasTheDocumentedShape() throws Exception {
        sandbox.sendMeta(text("4915112345678", "ok"));
        sandbox.sendMeta(text("12", "bad phone"));
        sandbox.uploadSampleMeta("sample.jpg");

        JsonNode stats = sandbox.admin("GET", "/_sandbox/stats", null).json();

        assertThat(stats.get("numbers").has(TestSandbox.D360_ID)).isTrue();
        JsonNode meta = stats.at("/numbers/" + META_ID);
        assertThat(meta.get("accepted").asLong()).isEqualTo(1);
        assertThat(meta.get("uploads").asLong()).isEqualTo(1);
        assertThat(meta.get("duplicates").asLong()).isZero();
        assertThat(meta.get("duplicate_bodies").asLong()).isZero();
        assertThat(meta.get("link_media").asLong()).isZero();
        assertThat(meta.get("rejected_by_code").get("131009").asLong()).isEqualTo(1);
        assertThat(meta.get("per_second")).hasSize(1);
        assertThat(meta.get("mps").asInt()).isEqualTo(80);
        assertThat(stats).isEqualTo(RawHttp.MAPPER.readTree(sandbox.server.stats().toString()));
    }

    @Test
    void linkMediaCountsEveryMediaObjectAcceptedByLinkAndNoneById() {
        String imageId = sandbox.uploadSampleMeta("sample.jpg");
        String card = "{'card_index':%d,'components':[{'type':'header','parameters':[{'type':'image',"
                + "'image':{%s}}]}]}";
        String link = "'link':'https://cdn.example.com/c.jpg'";
        String carousel = json("{'messaging_product':'whatsapp','to':'4915112345678','type':'template',"
                + "'template':{'name':'c','language':{'code':'en'},'components':[{'type':'carousel','cards':["
                + card.formatted(0, link) + "," + card.formatted(1, link) + "," + card.formatted(2, link) + "]}]}}");
        String byId = json("{'messaging_product':'whatsapp','to':'4915112345678','type':'image',"
                + "'image':{'id':'" + imageId + "'}}");

        assertThat(sandbox.sendMeta(carousel).status()).isEqualTo(200);
        long afterCarousel = sandbox.server.stats(META_ID).linkMedia();
        assertThat(sandbox.sendMeta(byId).status()).isEqualTo(200);

        assertThat(afterCarousel).isEqualTo(3);
        assertThat(sandbox.server.stats(META_ID).linkMedia()).isEqualTo(3);
        assertThat(sandbox.admin("GET", "/_sandbox/stats", null).json()
                .at("/numbers/" + META_ID + "/link_media").asLong()).isEqualTo(3);
    }

    @Test
    void linkMediaOfRejectedMessagesDoNotCount() {
        sandbox.server.setMps(META_ID, 1);
        String image = json("{'messaging_product':'whatsapp','to':'4915112345678','type':'image',"
                + "'image':{'link':'https://cdn.example.com/a.jpg'}}");
        String badCaption = json("{'messaging_product':'whatsapp','to':'4915112345678','type':'audio',"
                + "'audio':{'link':'https://cdn.example.com/a.ogg','caption':'no'}}");

        List<Response> responses = IntStream.range(0, 3).mapToObj(i -> sandbox.sendMeta(image)).toList();
        Response rejected = sandbox.sendMeta(badCaption);

        long accepted = responses.stream().filter(r -> r.status() == 200).count();
        assertThat(rejected.code()).isEqualTo(131009);
        assertThat(sandbox.server.stats(META_ID).linkMedia()).isEqualTo(accepted);
        sandbox.reset();
        assertThat(sandbox.server.stats(META_ID).linkMedia()).isZero();
    }

    @Test
    void messagesEndpointListsAcceptedMessages() {
        Response sent = sandbox.sendMeta(json("{'messaging_product':'whatsapp','to':'+49 151 12345678',"
                + "'text':{'body':'hi'},'biz_opaque_callback_data':'tok'}"));
        sandbox.sendMeta(text("4915112345678", "no token"));

        JsonNode messages = sandbox.admin("GET", "/_sandbox/messages?number=" + META_ID, null).json();

        assertThat(messages).hasSize(2);
        JsonNode first = messages.get(0);
        assertThat(first.get("wamid").asText()).isEqualTo(sent.json().at("/messages/0/id").asText());
        assertThat(first.get("number").asText()).isEqualTo(META_ID);
        assertThat(first.get("to").asText()).isEqualTo("4915112345678");
        assertThat(first.get("type").asText()).isEqualTo("text");
        assertThat(first.get("callback").asText()).isEqualTo("tok");
        assertThat(first.get("received_at_ms").asLong()).isPositive();
        assertThat(messages.get(1).get("callback").isNull()).isTrue();
        assertThat(sandbox.admin("GET", "/_sandbox/messages?number=nope", null).status()).isEqualTo(404);
    }

    @Test
    void resetClearsStatsMessagesAndUploads() {
        sandbox.sendMeta(text("4915112345678", "hi"));
        sandbox.uploadSampleMeta("sample.txt");

        Response reset = sandbox.admin("POST", "/_sandbox/reset", null);

        assertThat(reset.status()).isEqualTo(200);
        assertThat(sandbox.server.stats(META_ID).accepted()).isZero();
        assertThat(sandbox.server.messages(META_ID)).isEmpty();
        assertThat(sandbox.admin("GET", "/_sandbox/uploads", null).json()).isEmpty();
    }

    @Test
    void concurrentSendsAreAllRecordedWithUniqueWamids() throws Exception {
        sandbox.server.setMps(META_ID, 10_000);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Response>> futures = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                String body = text("49151" + (1000000 + i), "m");
                futures.add(pool.submit(() -> sandbox.sendMeta(body)));
            }
            for (Future<Response> future : futures) {
                assertThat(future.get().status()).isEqualTo(200);
            }
        } finally {
            pool.shutdownNow();
        }

        List<AcceptedMessage> messages = sandbox.server.messages(META_ID);
        assertThat(messages).hasSize(400);
        assertThat(messages.stream().map(AcceptedMessage::wamid).collect(Collectors.toSet())).hasSize(400);
        assertThat(sandbox.server.stats(META_ID).accepted()).isEqualTo(400);
        assertThat(sandbox.server.stats(META_ID).perSecond().stream().mapToLong(StatsSnapshot.Second::accepted).sum())
                .isEqualTo(400);
        assertThat(messages.stream().map(AcceptedMessage::to).collect(Collectors.toMap(Function.identity(), t -> 1,
                Integer::sum))).hasSize(400);
    }

    @Test
    void aCustomersMessageCountsAgainstTheNumbersLimitOfItsSecond() {
        sandbox.server.setMps(META_ID, 5);
        // Early in a second, so the writes and sends below share one.
        await("early in a second").atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(5))
                .until(() -> System.currentTimeMillis() % 1000 < 300);

        for (int i = 0; i < 3; i++) {
            sandbox.server.inbound(META_ID, "+4917000000" + i, "hello");
        }
        List<Response> responses = IntStream.range(0, 5)
                .mapToObj(i -> sandbox.sendMeta(text("+4915112345678", "m" + i))).toList();

        assertThat(responses.stream().filter(r -> r.status() == 200).count()).as("5 - 3 inbound").isEqualTo(2);
        assertThat(responses.stream().filter(r -> r.status() != 200)).allSatisfy(r -> assertThat(r.code())
                .isEqualTo(130429));
        StatsSnapshot stats = sandbox.server.stats(META_ID);
        assertThat(stats.inbound()).isEqualTo(3);
        assertThat(stats.perSecond()).singleElement().satisfies(second -> {
            assertThat(second.accepted()).isEqualTo(2);
            assertThat(second.inbound()).isEqualTo(3);
        });
        assertThat(stats.peakCountedPerSecond()).isEqualTo(5);
        assertThat(sandbox.admin("GET", "/_sandbox/stats", null).json().at("/numbers/" + META_ID + "/per_second/0/inbound")
                .asInt()).isEqualTo(3);
    }

    @Test
    void aSteadyInboundStreamWritesEvenlyAndLeavesSendsWhatRemainsOfTheLimit() {
        sandbox.server.setMps(META_ID, 20);
        Response started = sandbox.admin("POST", "/_sandbox/inbound_stream",
                "{\"number\": \"" + META_ID + "\", \"per_second\": 15}");
        long from = System.nanoTime();
        assertThat(started.status()).isEqualTo(200);
        assertThat(sandbox.server.inboundStream(META_ID)).isEqualTo(15);
        try {
            // Sends at about 20 a second for 2 s: with 15 customers' messages a second, many must be refused.
            int[] sent = {0};
            await("40 sends").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> {
                sandbox.sendMeta(text("+4915112345678", "m" + sent[0]));
                return ++sent[0] >= 40;
            });
        } finally {
            sandbox.server.inboundStream(META_ID, 0);
        }
        double seconds = (System.nanoTime() - from) / 1e9;

        StatsSnapshot stats = sandbox.server.stats(META_ID);
        assertThat(stats.rejectedByCode()).containsKey(130429);
        // A full second: sends go until they and the customers' messages so far reach 20 (about 11 of the 15 to 20
        // tried), the customers' messages keep coming after (they are never refused).
        List<StatsSnapshot.Second> full = stats.perSecond().subList(1, stats.perSecond().size() - 1);
        assertThat(full).as("full seconds of %s", stats.perSecond()).isNotEmpty().allSatisfy(s -> {
            assertThat(s.accepted()).as("sends in %s", s).isBetween(1L, 13L);
            assertThat(s.inbound()).as("customers' messages in %s", s).isBetween(13L, 17L);
        });
        assertThat((double) stats.inbound()).as("15 a second over %.2f s", seconds)
                .isBetween(15 * seconds - 3, 15 * seconds + 1);
        assertThat(sandbox.server.inboundStream(META_ID)).isZero();
        assertThat(sandbox.admin("GET", "/_sandbox/settings", null).json().path("inbound_streams")).isEmpty();
    }

    @Test
    void theInboundStreamEndpointRefusesABadBody() {
        assertThat(sandbox.admin("POST", "/_sandbox/inbound_stream", "{\"number\": \"" + META_ID + "\"}").status())
                .isEqualTo(400);
        assertThat(sandbox.admin("POST", "/_sandbox/inbound_stream", "{\"number\": \"" + META_ID
                + "\", \"per_second\": -1}").status()).isEqualTo(400);
        assertThat(sandbox.admin("POST", "/_sandbox/inbound_stream", "{\"number\": \"nope\", \"per_second\": 1}")
                .status()).isEqualTo(404);
    }
}
